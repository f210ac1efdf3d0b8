package org.sep4j.models.sslam;

import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.InstanceNorm;
import org.sep4j.models.nn.LayerNorm;

/**
 * The regression targets an EMA teacher gives the student in data2vec 2.0, EAT and SSLAM: each
 * block's MLP output before the residual add, on the patch tokens only (CLS dropped), instance-
 * normalised over the tokens (per example and channel, eps 1e-5), averaged over the blocks, then
 * layer-normalised without affine parameters (eps 1e-5). The frame target is that {@code [B, N, D]};
 * the utterance target, which the student's CLS regresses on, is its mean over the patches.
 */
public final class EatTargets {

    private static final double EPS = 1e-5;

    private EatTargets() {
    }

    /** The frame target {@code [B, N, D]} from the teacher's per-block MLP outputs {@code [B, 1 + N, D]}. */
    public static SDVariable frames(Graph g, List<SDVariable> mlp, int dim, int patches) {
        SDVariable sum = null;
        for (SDVariable m : mlp) {
            SDVariable tokens = m.get(SDIndex.all(), SDIndex.interval(1, patches + 1), SDIndex.all());        // [B, N, D]
            SDVariable normed = new InstanceNorm("eat_target", dim, EPS, false).apply(g, tokens.permute(0, 2, 1), 3)
                    .permute(0, 2, 1);
            sum = sum == null ? normed : sum.add(normed);
        }
        return new LayerNorm("eat_target_norm", dim, EPS, false).apply(g, sum.div(mlp.size()));
    }

    /** The utterance target {@code [B, D]}: the frame target's mean over the patches. */
    public static SDVariable utterance(SDVariable frames) {
        return frames.mean(1);
    }
}

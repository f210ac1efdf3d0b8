package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Group normalisation as torch.nn.GroupNorm(groups, channels, eps): statistics over each group of
 * channels and all positions, per example; per-channel affine {@code weight} (ones), {@code bias}
 * (zeros). Input {@code [B, C, ...]}.
 */
public final class GroupNorm extends Module {

    private final int groups;
    private final int channels;
    private final double eps;

    public GroupNorm(String name, int groups, int channels, double eps) {
        super(name);
        if (channels % groups != 0) {
            throw new IllegalArgumentException(name + ": " + channels + " channels do not split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        SDVariable y = normalise(g, x, groups, eps);
        int rank = x.getShape() == null ? 4 : x.getShape().length;
        long[] affine = new long[rank];
        java.util.Arrays.fill(affine, 1);
        affine[1] = channels;
        SDVariable w = g.constant(key("weight"), 1, channels).reshape(affine);
        SDVariable b = g.constant(key("bias"), 0, channels).reshape(affine);
        return y.mul(w).add(b);
    }

    /** Each example's groups of channels normalised over their positions: (x − μ)/√(σ² + eps), biased σ². */
    static SDVariable normalise(Graph g, SDVariable x, int groups, double eps) {
        SDVariable grouped = x.reshape(g.sd().concat(0, x.shape().get(org.nd4j.autodiff.samediff.SDIndex.interval(0, 1)),
                g.sd().constant(org.nd4j.linalg.factory.Nd4j.createFromArray((long) groups, -1L))));   // [B, G, rest]
        SDVariable centred = grouped.sub(grouped.mean(true, 2));
        SDVariable var = centred.mul(centred).mean(true, 2);
        return centred.div(g.sd().math().sqrt(var.add(eps))).reshape(x.shape());
    }
}

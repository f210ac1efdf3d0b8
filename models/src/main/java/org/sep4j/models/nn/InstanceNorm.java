package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torch.nn.InstanceNorm1d/2d (no running statistics): each channel of each example normalised
 * over its positions with the biased variance, {@code (x − μ)/√(σ² + eps)}; with {@code affine},
 * per-channel {@code weight} (ones) and {@code bias} (zeros). Input {@code [B, C, ...]} of the
 * given rank.
 */
public final class InstanceNorm extends Module {

    private final int channels;
    private final double eps;
    private final boolean affine;

    public InstanceNorm(String name, int channels, double eps, boolean affine) {
        super(name);
        this.channels = channels;
        this.eps = eps;
        this.affine = affine;
    }

    /** Normalises an input of the given rank (3 for sequences, 4 for images). */
    public SDVariable apply(Graph g, SDVariable x, int rank) {
        SDVariable y = GroupNorm.normalise(g, x, channels, eps);                         // a group per channel
        if (!affine) {
            return y;
        }
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[1] = channels;
        return y.mul(g.constant(key("weight"), 1, channels).reshape(shape)).add(g.constant(key("bias"), 0, channels).reshape(shape));
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        long[] s = x.getShape();
        return apply(g, x, s == null ? 4 : s.length);
    }
}

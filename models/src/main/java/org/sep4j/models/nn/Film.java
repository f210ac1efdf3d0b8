package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Feature-wise linear modulation of {@code [B, C, ...]} features by a conditioning vector
 * {@code [B, D]}: a linear map gives β (additive: x + β) or γ and β (multiplicative: γ·x + β),
 * broadcast over every position. Parameters of the projection: {@code <name>.weight, .bias}.
 */
public final class Film extends Module {

    private final int condition;
    private final int channels;
    private final boolean multiplicative;

    public Film(String name, int condition, int channels, boolean multiplicative) {
        super(name);
        this.condition = condition;
        this.channels = channels;
        this.multiplicative = multiplicative;
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        throw new UnsupportedOperationException("FiLM needs a conditioning input: apply(g, x, condition)");
    }

    /** @param rank the rank of x (4 for [B, C, H, W]) */
    public SDVariable apply(Graph g, SDVariable x, SDVariable cond, int rank) {
        int outs = multiplicative ? 2 * channels : channels;
        SDVariable p = new Linear(name, condition, outs).apply(g, cond);                 // [B, outs]
        long[] shape = new long[rank];
        java.util.Arrays.fill(shape, 1);
        shape[0] = -1;
        shape[1] = channels;
        if (!multiplicative) {
            return x.add(p.reshape(shape));
        }
        SDVariable gamma = p.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.interval(0, channels));
        SDVariable beta = p.get(org.nd4j.autodiff.samediff.SDIndex.all(),
                org.nd4j.autodiff.samediff.SDIndex.interval(channels, 2 * channels));
        return x.mul(gamma.reshape(shape)).add(beta.reshape(shape));
    }
}

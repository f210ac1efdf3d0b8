package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * y = x·Wᵀ + b over the last axis, as torch.nn.Linear: input {@code [..., in]}, output
 * {@code [..., out]}; parameters {@code weight [out, in]} and {@code bias [out]}, initialised
 * uniformly in ±1/√in.
 */
public final class Linear extends Module {

    private final int in;
    private final int out;
    private final boolean bias;

    public Linear(String name, int in, int out, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.bias = bias;
    }

    public Linear(String name, int in, int out) {
        this(name, in, out, true);
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        double bound = 1 / Math.sqrt(in);
        SDVariable w = g.uniform(key("weight"), bound, out, in);
        int rank = x.getShape() == null ? 2 : x.getShape().length;
        SDVariable y = g.sd().tensorMmul(x, w, new int[] {rank - 1}, new int[] {1});
        return bias ? y.add(g.uniform(key("bias"), bound, out)) : y;
    }
}

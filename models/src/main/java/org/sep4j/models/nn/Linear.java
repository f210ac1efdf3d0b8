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
        long[] shape = x.getShape();
        SDVariable y;
        // SameDiff often cannot tell a computed variable's shape while building: an input of unknown
        // rank is taken as [N, in] (reshape higher-rank computed inputs first)
        if (shape == null || shape.length == 2) {
            y = x.mmul(w.permute(1, 0));
        } else {
            // flatten the leading axes, multiply, restore them: [..., in] → [N, in] → [N, out] → [..., out]
            SDVariable lead = x.shape().get(org.nd4j.autodiff.samediff.SDIndex.interval(0, shape.length - 1));
            SDVariable outShape = g.sd().concat(0, lead, g.sd().constant(org.nd4j.linalg.factory.Nd4j.createFromArray((long) out)));
            y = x.reshape(-1, in).mmul(w.permute(1, 0)).reshape(outShape);
        }
        return bias ? y.add(g.uniform(key("bias"), bound, out)) : y;
    }
}

package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torch.nn.ConvTranspose1d with kernel = stride and no padding: input {@code [B, in, L]} →
 * {@code [B, out, L·k]}; parameters {@code weight [in, out, k]} and {@code bias [out]}. The
 * input length must be known when the graph is built.
 */
public final class ConvTranspose1d extends Module {

    private final int in;
    private final int out;
    private final int k;
    private final boolean bias;

    public ConvTranspose1d(String name, int in, int out, int k, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.k = k;
        this.bias = bias;
    }

    /** Input {@code [B, in, length]} → {@code [B, out, length·k]}. */
    public SDVariable apply(Graph g, SDVariable x, int length) {
        double bound = 1 / Math.sqrt((double) out * k);
        SDVariable weight = g.uniform(key("weight"), bound, in, out, k);
        SDVariable b = bias ? g.uniform(key("bias"), bound, out) : null;
        SDVariable y = ConvTranspose2d.upsample(g.sd().expandDims(x, 2), weight, b, in, out, 1, k, 1, length);
        return g.sd().squeeze(y, 2);
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        long[] s = x.getShape();
        if (s == null || s.length != 3 || s[2] < 0) {
            throw new IllegalArgumentException(name + ": give the input's length: apply(g, x, length)");
        }
        return apply(g, x, (int) s[2]);
    }
}

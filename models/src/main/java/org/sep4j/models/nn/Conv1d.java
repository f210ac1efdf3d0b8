package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * 1-D convolution as torch.nn.Conv1d (groups = 1): input {@code [B, in, L]}, output
 * {@code [B, out, L']}; parameters {@code weight [out, in, k]} and {@code bias [out]}, uniform in
 * ±1/√(in·k). Runs as a 2-D convolution over a height of one.
 */
public final class Conv1d extends Module {

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean bias;

    public Conv1d(String name, int in, int out, int kernel, int stride, int padding, int dilation, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.bias = bias;
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        double bound = 1 / Math.sqrt((double) in * kernel);
        SDVariable w = g.uniform(key("weight"), bound, out, in, kernel).reshape(out, in, 1, kernel);
        SDVariable b = bias ? g.uniform(key("bias"), bound, out) : null;
        SDVariable y = Conv2d.convolve(g, g.sd().expandDims(x, 2), w, b, out, in, new int[] {1, kernel}, new int[] {1, stride},
                new int[] {0, padding}, new int[] {1, dilation});
        return g.sd().squeeze(y, 2);
    }
}

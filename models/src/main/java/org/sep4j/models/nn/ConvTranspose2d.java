package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * torch.nn.ConvTranspose2d with kernel = stride and no padding (the up-sampling step of U-Net
 * decoders such as ResUNet30): every input pixel spreads into its own kH × kW block,
 * y[b, o, h·kH + i, w·kW + j] = Σ_c x[b, c, h, w]·W[c, o, i, j] + bias[o]. Computed as one matrix
 * product and a pixel shuffle (blocks never overlap), with exact gradients. Parameters
 * {@code weight [in, out, kH, kW]} (PyTorch's layout) and {@code bias [out]}; the input's
 * height and width must be known when the graph is built.
 */
public final class ConvTranspose2d extends Module {

    private final int in;
    private final int out;
    private final int kh;
    private final int kw;
    private final boolean bias;

    public ConvTranspose2d(String name, int in, int out, int kh, int kw, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.kh = kh;
        this.kw = kw;
        this.bias = bias;
    }

    /** Input {@code [B, in, H, W]} with H and W given → {@code [B, out, H·kH, W·kW]}. */
    public SDVariable apply(Graph g, SDVariable x, int h, int w) {
        double bound = 1 / Math.sqrt((double) out * kh * kw); // torch: fan_in of the transposed weight
        SDVariable weight = g.uniform(key("weight"), bound, in, out, kh, kw);
        SDVariable b = bias ? g.uniform(key("bias"), bound, out) : null;
        return upsample(x, weight, b, in, out, kh, kw, h, w);
    }

    /** The transposed convolution with a given {@code [in, out, kH, kW]} weight (and optional bias). */
    static SDVariable upsample(SDVariable x, SDVariable weight, SDVariable b, int in, int out, int kh, int kw, int h, int w) {
        SDVariable pixels = x.permute(0, 2, 3, 1).reshape(-1, in);                        // [B·H·W, in]
        SDVariable blocks = pixels.mmul(weight.reshape(in, (long) out * kh * kw));           // [B·H·W, out·kH·kW]
        SDVariable y = blocks.reshape(-1, h, w, out, kh, kw).permute(0, 3, 1, 4, 2, 5)      // [B, out, H, kH, W, kW]
                .reshape(-1, out, (long) h * kh, (long) w * kw);
        return b != null ? y.add(b.reshape(1, out, 1, 1)) : y;
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        long[] s = x.getShape();
        if (s == null || s.length != 4 || s[2] < 0 || s[3] < 0) {
            throw new IllegalArgumentException(name + ": give the input's height and width: apply(g, x, h, w)");
        }
        return apply(g, x, (int) s[2], (int) s[3]);
    }
}

package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * 2-D convolution as torch.nn.Conv2d: input {@code [B, in, H, W]}, output
 * {@code [B, out, H', W']}, H' = ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1; parameters
 * {@code weight [out, in/groups, kH, kW]} and {@code bias [out]}, uniform in ±1/√(in/groups·kH·kW).
 * With groups, each of the {@code groups} slices of input channels has its own slice of filters.
 */
public final class Conv2d extends Module {

    private final int in;
    private final int out;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean bias;
    private int groups = 1;

    public Conv2d(String name, int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean bias) {
        super(name);
        this.in = in;
        this.out = out;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.bias = bias;
    }

    /** The same convolution split into channel groups (groups = in: depthwise). */
    public Conv2d groups(int g) {
        if (g < 1 || in % g != 0 || out % g != 0) {
            throw new IllegalArgumentException(name + ": " + in + " input and " + out + " output channels do not split into "
                    + g + " groups");
        }
        groups = g;
        return this;
    }

    /** Square kernel, stride 1, "same" padding for odd kernels. */
    public static Conv2d same(String name, int in, int out, int k) {
        return same(name, in, out, k, true);
    }

    public static Conv2d same(String name, int in, int out, int k, boolean bias) {
        return new Conv2d(name, in, out, new int[] {k, k}, new int[] {1, 1}, new int[] {k / 2, k / 2}, new int[] {1, 1}, bias);
    }

    /** A 1×1 convolution (a per-pixel linear map of channels). */
    public static Conv2d pointwise(String name, int in, int out, boolean bias) {
        return new Conv2d(name, in, out, new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, bias);
    }

    /** E[a, a·d] = 1: maps k taps onto (k − 1)·d + 1 positions. */
    private static org.nd4j.linalg.api.ndarray.INDArray spread(int k, int d) {
        org.nd4j.linalg.api.ndarray.INDArray e = org.nd4j.linalg.factory.Nd4j.zeros(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, k, (long) (k - 1) * d + 1);
        for (int a = 0; a < k; a++) {
            e.putScalar(a, (long) a * d, 1f);
        }
        return e;
    }

    @Override
    public SDVariable apply(Graph g, SDVariable x) {
        int per = in / groups;
        double bound = 1 / Math.sqrt((double) per * kernel[0] * kernel[1]);
        SDVariable w = g.uniform(key("weight"), bound, out, per, kernel[0], kernel[1]);
        SDVariable b = bias ? g.uniform(key("bias"), bound, out) : null;
        if (groups == 1) {
            return convolve(g, x, w, b, out, in, kernel, stride, padding, dilation);
        }
        // one convolution per group on its slice of channels (slices by reshape + unstack: their gradients are exact)
        int outPer = out / groups;
        SDVariable split = x.reshape(g.sd().concat(0, x.shape().get(SDIndex.interval(0, 1)),
                g.sd().constant(Nd4j.createFromArray((long) groups, per)), x.shape().get(SDIndex.interval(2, 4))));
        SDVariable[] xs = g.sd().unstack(split, 1, groups);                                   // groups × [B, per, H, W]
        SDVariable[] ws = g.sd().unstack(w.reshape(groups, outPer, per, kernel[0], kernel[1]), 0, groups);
        SDVariable[] bs = b == null ? null : g.sd().unstack(b.reshape(groups, outPer), 0, groups);
        SDVariable[] ys = new SDVariable[groups];
        for (int k = 0; k < groups; k++) {
            ys[k] = convolve(g, xs[k], ws[k], bs == null ? null : bs[k], outPer, per, kernel, stride, padding, dilation);
        }
        return g.sd().concat(1, ys);
    }

    /**
     * A 1×1 convolution as one matrix product over all pixels, W·X with X {@code [in, B·H·W]}: libnd4j's
     * conv2d backward pass takes 25–30 ms for a [4, 8, 504, 128] image through a 1×1 kernel, the
     * product and its gradient with the two transposes a few ms.
     */
    private static SDVariable pointwise(Graph g, SDVariable x, SDVariable w, SDVariable b, long out, long in) {
        SDVariable cols = x.permute(1, 0, 2, 3).reshape(in, -1);                                  // [in, B·H·W]
        SDVariable y = w.reshape(out, in).mmul(cols);                                            // [out, B·H·W]
        SDVariable shape = g.sd().concat(0, g.sd().constant(Nd4j.createFromArray(out)), x.shape().get(SDIndex.interval(0, 1)),
                x.shape().get(SDIndex.interval(2, 4)));
        SDVariable image = y.reshape(shape).permute(1, 0, 2, 3);                                 // [B, out, H, W]
        return b == null ? image : image.add(b.reshape(1, out, 1, 1));
    }

    /** The convolution with a given {@code [out, in, kH, kW]} weight (and optional bias) variable. */
    static SDVariable convolve(Graph g, SDVariable x, SDVariable w, SDVariable b, long out, long in, int[] kernel, int[] stride,
            int[] padding, int[] dilation) {
        int kh = kernel[0];
        int kw = kernel[1];
        if (dilation[0] != 1 || dilation[1] != 1) {
            // ND4J's oneDNN path cannot build dilated convolutions: spread the kernel with zeros instead
            // (W'[.., a·d, b·d] = W[.., a, b]), an identical operation that gradients flow through.
            kh = (kernel[0] - 1) * dilation[0] + 1;
            kw = (kernel[1] - 1) * dilation[1] + 1;
            SDVariable eh = g.sd().constant(spread(kernel[0], dilation[0]).castTo(g.dtype()));
            SDVariable ew = g.sd().constant(spread(kernel[1], dilation[1]).castTo(g.dtype()));
            long oi = out * in;
            // plain matrix products (their gradients are solid in ND4J; tensorMmul's are not)
            SDVariable a = w.reshape(oi * kernel[0], kernel[1]).mmul(ew);                    // [o·i·kH, kw]
            SDVariable c = a.reshape(oi, kernel[0], kw).permute(0, 2, 1).reshape(oi * kw, kernel[0]).mmul(eh); // [o·i·kw, kh]
            w = c.reshape(oi, kw, kh).permute(0, 2, 1).reshape(out, in, kh, kw);
        }
        if (kh == 1 && kw == 1 && stride[0] == 1 && stride[1] == 1 && padding[0] == 0 && padding[1] == 0) {
            return pointwise(g, x, w, b, out, in);
        }
        // The parameter keeps PyTorch's [out, in, kH, kW]; ND4J M2.1's conv2d backward pass fails for
        // that (OIYX) layout, so the graph hands it [kH, kW, in, out] (YXIO).
        SDVariable yxio = w.permute(2, 3, 1, 0);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(kh).kW(kw).sH(stride[0]).sW(stride[1])
                .pH(padding[0]).pW(padding[1]).dH(1).dW(1).dataFormat("NCHW")
                .weightsFormat(WeightsFormat.YXIO).build();
        return b != null ? g.sd().cnn().conv2d(x, yxio, b, cfg) : g.sd().cnn().conv2d(x, yxio, cfg);
    }
}

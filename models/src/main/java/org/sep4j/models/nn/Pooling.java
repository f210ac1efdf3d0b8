package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** 2-D pooling as torch.nn.functional.avg_pool2d / max_pool2d with kernel = stride and no padding. */
public final class Pooling {

    private Pooling() {
    }

    private static Pooling2DConfig cfg(int kh, int kw) {
        return Pooling2DConfig.builder().kH(kh).kW(kw).sH(kh).sW(kw).pH(0).pW(0).dH(1).dW(1).isNHWC(false).build();
    }

    /** Average over non-overlapping kh × kw windows of {@code [B, C, H, W]}. */
    public static SDVariable avg(Graph g, SDVariable x, int kh, int kw) {
        return g.sd().cnn().avgPooling2d(x, cfg(kh, kw));
    }

    /** Maximum over non-overlapping kh × kw windows of {@code [B, C, H, W]}. */
    public static SDVariable max(Graph g, SDVariable x, int kh, int kw) {
        return g.sd().cnn().maxPooling2d(x, cfg(kh, kw));
    }
}

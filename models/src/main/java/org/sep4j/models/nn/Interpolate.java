package org.sep4j.models.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Linear resizing of the last axis as torch.nn.functional.interpolate(mode="linear",
 * align_corners=False): source position (i + 0.5)·in/out − 0.5, clamped at 0, blended between its
 * two neighbours. Done as a product with a fixed {@code [in, out]} matrix, so gradients are exact.
 * (Bilinear resizing of images is two such products, one per axis.)
 */
public final class Interpolate {

    private Interpolate() {
    }

    /** The {@code [in, out]} interpolation matrix. */
    static INDArray matrix(int in, int out, org.nd4j.linalg.api.buffer.DataType dtype) {
        INDArray m = Nd4j.zeros(dtype, in, out);
        double scale = (double) in / out;
        for (int j = 0; j < out; j++) {
            double src = Math.max(0, (j + 0.5) * scale - 0.5);
            int i0 = Math.min(in - 1, (int) Math.floor(src));
            int i1 = Math.min(in - 1, i0 + 1);
            double w1 = src - i0;
            m.putScalar(i0, j, m.getDouble(i0, j) + (1 - w1));
            m.putScalar(i1, j, m.getDouble(i1, j) + w1);
        }
        return m;
    }

    /** {@code [N, in]} → {@code [N, out]} (flatten leading axes first). */
    public static SDVariable linear(Graph g, SDVariable x, int in, int out) {
        return x.mmul(g.sd().constant(matrix(in, out, g.dtype())));
    }

    /** {@code [B, C, H, W]} → {@code [B, C, outH, outW]}, bilinear (align_corners=False). */
    public static SDVariable bilinear(Graph g, SDVariable x, int c, int h, int w, int outH, int outW) {
        SDVariable rows = linear(g, x.reshape(-1, w), w, outW).reshape(-1, c, h, outW);     // along W
        SDVariable cols = rows.permute(0, 1, 3, 2).reshape(-1, h);                          // [B·C·outW, H]
        return linear(g, cols, h, outH).reshape(-1, c, outW, outH).permute(0, 1, 3, 2);
    }
}

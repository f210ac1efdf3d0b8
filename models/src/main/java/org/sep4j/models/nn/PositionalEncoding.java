package org.sep4j.models.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fixed positional encodings: 1-D sinusoidal (Vaswani et al.: sin on even, cos on odd features,
 * frequencies 10000^(−2i/d)) and the 2-D sin-cos grid of MAE/M2D (half the features encode the
 * row, half the column, each as [sin..., cos...]).
 */
public final class PositionalEncoding {

    private PositionalEncoding() {
    }

    /** {@code [length, dim]}, dim even. */
    public static INDArray sinusoidal(int length, int dim) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("sinusoidal encoding needs an even dimension, got " + dim);
        }
        INDArray pe = Nd4j.zeros(DataType.FLOAT, length, dim);
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < dim / 2; i++) {
                double freq = Math.pow(10000, -2.0 * i / dim);
                pe.putScalar(p, 2 * i, Math.sin(p * freq));
                pe.putScalar(p, 2 * i + 1, Math.cos(p * freq));
            }
        }
        return pe;
    }

    /** 1-D encoding as MAE's get_1d_sincos_pos_embed_from_grid: [sin(p·ω_i)..., cos(p·ω_i)...], ω_i = 10000^(−i/(d/2)). */
    static double[] sincos(double pos, int dim) {
        double[] out = new double[dim];
        int half = dim / 2;
        for (int i = 0; i < half; i++) {
            double omega = 1.0 / Math.pow(10000, (double) i / half);
            out[i] = Math.sin(pos * omega);
            out[half + i] = Math.cos(pos * omega);
        }
        return out;
    }

    /**
     * {@code [rows·cols, dim]} in row-major grid order; the first dim/2 features encode the column
     * index, the last dim/2 the row index (MAE's get_2d_sincos_pos_embed with grid = meshgrid(w, h)).
     */
    public static INDArray sincos2d(int rows, int cols, int dim) {
        if (dim % 4 != 0) {
            throw new IllegalArgumentException("2-D sin-cos encoding needs a dimension divisible by 4, got " + dim);
        }
        INDArray pe = Nd4j.zeros(DataType.FLOAT, (long) rows * cols, dim);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double[] a = sincos(c, dim / 2);
                double[] b = sincos(r, dim / 2);
                for (int i = 0; i < dim / 2; i++) {
                    pe.putScalar((long) r * cols + c, i, a[i]);
                    pe.putScalar((long) r * cols + c, dim / 2 + i, b[i]);
                }
            }
        }
        return pe;
    }
}

package org.sep4j.models.sslam;

import org.nd4j.autodiff.samediff.SDVariable;
import org.sep4j.models.nn.Activations;
import org.sep4j.models.nn.Conv2d;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.LayerNorm;
import org.sep4j.models.nn.Linear;

/**
 * The student's light decoder in data2vec 2.0 / EAT: the encoder's visible tokens put back on the
 * patch grid, every masked position a noise vector (std 0.01 in EAT); then {@code layers} ×
 * [Conv2d k×k with {@code groups} groups → LayerNorm over channels without affine → GELU, plus the
 * layer's input] on the time × frequency grid; then Linear(D → D), the prediction of the teacher's
 * target at every patch. Parameter names are fairseq's ({@code modality_encoders.IMAGE.decoder.blocks.0.0.weight},
 * {@code modality_encoders.IMAGE.decoder.proj.weight}).
 */
public final class EatDecoder {

    public static final String PREFIX = "modality_encoders.IMAGE.decoder";

    private final int dim;
    private final int layers;
    private final int groups;
    private final int kernel;

    public EatDecoder(int dim, int layers, int groups, int kernel) {
        if (dim % groups != 0 || layers < 1 || kernel % 2 != 1) {
            throw new IllegalArgumentException("EAT decoder: dim must split into groups, layers be at least 1 and the kernel odd; "
                    + "got dim " + dim + ", groups " + groups + ", layers " + layers + ", kernel " + kernel);
        }
        this.dim = dim;
        this.layers = layers;
        this.groups = groups;
        this.kernel = kernel;
    }

    /**
     * Predictions {@code [B, N, D]} from the student's visible tokens {@code [B, V, D]} (CLS removed),
     * the selection that picked them ({@code [B, N, V]}), and {@code noise} {@code [B, N, D]} already
     * zero at visible positions, on a {@code rows × cols} grid (N = rows·cols, time-major).
     */
    public SDVariable apply(Graph g, SDVariable visible, SDVariable select, SDVariable noise, int rows, int cols) {
        int n = rows * cols;
        SDVariable x = g.sd().mmul(select, visible).add(noise)                                  // [B, N, D]
                .permute(0, 2, 1).reshape(-1, dim, rows, cols);                                 // [B, D, rows, cols]
        for (int i = 0; i < layers; i++) {
            SDVariable c = Conv2d.same(PREFIX + ".blocks." + i + ".0", dim, dim, kernel).groups(groups).apply(g, x);
            SDVariable normed = new LayerNorm(PREFIX + ".blocks." + i + ".norm", dim, 1e-5, false)
                    .apply(g, c.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);                         // over channels
            x = Activations.gelu(g, normed).add(x);
        }
        SDVariable tokens = x.reshape(-1, dim, n).permute(0, 2, 1).reshape(-1, dim);             // [B·N, D]
        return new Linear(PREFIX + ".proj", dim, dim).apply(g, tokens).reshape(-1, n, dim);
    }
}

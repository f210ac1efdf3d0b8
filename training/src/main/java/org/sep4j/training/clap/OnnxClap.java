package org.sep4j.training.clap;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.core.audio.Resampler;
import org.sep4j.models.onnx.ClapEncoder;
import org.sep4j.models.onnx.OrtModel;

/**
 * An exported CLAP ({@code tools/export/export_clap.py}) as BiSep's frozen towers. ONNX Runtime
 * gives no gradients, so the audio→text contrastive term and its gradient with respect to the
 * separator's estimates are computed here: estimates resampled to 48 kHz, fitted to the tower's
 * length, embedded and L2-normalised, scored by InfoNCE against the phrases' text embeddings; the
 * backward runs the same chain in reverse (the exported vector-Jacobian product of the tower, the
 * adjoints of the fit and the resampler). The training graph then adds {@code Σ estimate ⊙ gradient},
 * whose gradient with respect to the separator is the term's.
 */
public final class OnnxClap implements ClapTowers {

    private final ClapEncoder clap;
    private final Path folder;
    private final Resampler up;
    private final Map<String, ClapEncoder.TextStates> cache = new ConcurrentHashMap<>();
    private final int hiddenDim;
    private final int embeddingDim;

    private OnnxClap(ClapEncoder clap, Path folder, int sampleRate) {
        this.clap = clap;
        this.folder = folder;
        this.up = new Resampler(sampleRate, ClapEncoder.SAMPLE_RATE);
        ClapEncoder.TextStates probe = states("");
        this.hiddenDim = (int) probe.hidden().size(1);
        this.embeddingDim = (int) probe.embedding().length();
    }

    static OnnxClap open(Path folder, int sampleRate, String key) throws IOException {
        ClapEncoder enc;
        try {
            enc = ClapEncoder.open(folder, OrtModel.Options.defaults());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        try {
            return new OnnxClap(enc, folder, sampleRate);
        } catch (RuntimeException e) {
            enc.close();
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private ClapEncoder.TextStates states(String query) {
        return cache.computeIfAbsent(query, clap::textStates);
    }

    @Override
    public String source() {
        return "the exported CLAP in " + folder;
    }

    /** Whether the contrastive term can train through the audio tower (the folder has the gradient graph and logit scale). */
    public boolean trainsThroughAudio() {
        return clap.trainsThroughAudio();
    }

    @Override
    public int textTokens() {
        return clap.textLength();
    }

    @Override
    public int textDim() {
        return hiddenDim;
    }

    @Override
    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public INDArray[] text(String query) {
        ClapEncoder.TextStates s = states(query);
        return new INDArray[] {s.hidden(), s.embedding()};
    }

    @Override
    public float[] keep(String query) {
        return states(query).keep();
    }

    /** The contrastive term's value and its gradient with respect to each estimate. */
    public record Contrast(double loss, float[][] gradient) {
    }

    /**
     * L = mean_i CE(τ·a_i·Tᵀ, i) for estimates {@code [N][S]} at the separator's rate and unit text
     * embeddings {@code [N][E]} (row i is estimate i's phrase; the other rows are its negatives).
     */
    public Contrast contrastive(float[][] estimates, float[][] texts) {
        int n = estimates.length;
        float[][] clips = new float[n][];
        for (int i = 0; i < n; i++) {
            clips[i] = up.resample(estimates[i]);
        }
        double[][] e = new double[n][];
        double[] norm = new double[n];
        float[][] projections = clap.projections(clips).toFloatMatrix();
        for (int i = 0; i < n; i++) {
            float[] raw = projections[i];
            e[i] = new double[raw.length];
            double s = 0;
            for (int d = 0; d < raw.length; d++) {
                s += (double) raw[d] * raw[d];
            }
            norm[i] = Math.max(Math.sqrt(s), 1e-12);
            for (int d = 0; d < raw.length; d++) {
                e[i][d] = raw[d] / norm[i];
            }
        }
        double tau = clap.logitScale();
        double loss = 0;
        float[][] gradient = new float[n][];
        for (int i = 0; i < n; i++) {
            double[] logits = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int d = 0; d < embeddingDim; d++) {
                    s += e[i][d] * texts[j][d];
                }
                logits[j] = tau * s;
                max = Math.max(max, logits[j]);
            }
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += Math.exp(logits[j] - max);
            }
            loss += (max + Math.log(z) - logits[i]) / n;
            // dL/da_i = τ/N Σ_j (softmax_j − δ_ij) T_j; through the norm: (I − a aᵀ) dL/da / |e|
            double[] da = new double[embeddingDim];
            for (int j = 0; j < n; j++) {
                double w = (Math.exp(logits[j] - max) / z - (i == j ? 1 : 0)) * tau / n;
                for (int d = 0; d < embeddingDim; d++) {
                    da[d] += w * texts[j][d];
                }
            }
            double along = 0;
            for (int d = 0; d < embeddingDim; d++) {
                along += da[d] * e[i][d];
            }
            float[] cot = new float[embeddingDim];
            for (int d = 0; d < embeddingDim; d++) {
                cot[d] = (float) ((da[d] - along * e[i][d]) / norm[i]);
            }
            gradient[i] = up.adjoint(clap.audioPullback(clips[i], cot).gradient(), estimates[i].length);
        }
        return new Contrast(loss, gradient);
    }

    @Override
    public void close() {
        clap.close();
    }
}

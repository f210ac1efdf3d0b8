package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.sep4j.models.sed.LogMel;
import org.sep4j.models.sed.SedConfig;

/**
 * A pretrained M2D backbone (or a tagger fine-tuned from one) run from ONNX. Contract
 * ({@code tools/export/export_m2d.py} writes it):
 * <ul>
 *   <li>input: one tensor {@code [B, 1, mels, T]}, the normalised log-mel of {@link LogMel} with the
 *       {@code model.sed} front end (M2D: 16 kHz, n_fft = win 400, hop 160, 80 mels 50–8000 Hz,
 *       ln(x + ε), (x + 7.1)/4.2). A fixed T is met by cutting or zero-padding the normalised log-mel;
 *       a free T takes the clip's own frames;</li>
 *   <li>output {@value #LAYERS}: {@code [B, L+1, N, D]}, the token map after the patch embedding
 *       and after each of the L blocks, before the final norm, CLS removed; N = F'·T' patches in M2D's
 *       frequency-major order (index f·T' + t);</li>
 *   <li>optional output {@value #LOGITS}: {@code [B, C]} clip logits of a fine-tuned head (the
 *       DCASE 2025 Task 4 baseline tagger has C = 18); σ gives the stage-1 probabilities.</li>
 * </ul>
 */
public final class M2dEncoder implements AutoCloseable {

    public static final String LAYERS = "layers";
    public static final String LOGITS = "logits";

    /** What one call returns: the token maps and, when the model has a head, its clip logits (else null). */
    public record Output(INDArray layers, INDArray logits) {}

    private final OrtModel model;
    private final SedConfig frontEnd;
    private final LogMel logMel;
    private final String input;
    private final long fixedFrames;
    private final boolean hasLogits;

    private M2dEncoder(OrtModel model, SedConfig frontEnd) {
        if (model.inputs().size() != 1) {
            throw new IllegalArgumentException(model.file() + ": an M2D encoder takes one input (log-mel [B, 1, "
                    + frontEnd.nMels() + ", T]); this model takes " + model.inputs());
        }
        long[] in = model.inputs().get(0).shape();
        if (in.length != 4 || in[1] != 1 || (in[2] > 0 && in[2] != frontEnd.nMels())) {
            throw new IllegalArgumentException(model.file() + ": input " + model.inputs().get(0) + " is not log-mel [B, 1, "
                    + frontEnd.nMels() + ", T] (model.sed.n_mels = " + frontEnd.nMels() + ")");
        }
        if (model.outputs().stream().noneMatch(p -> p.name().equals(LAYERS))) {
            throw new IllegalArgumentException(model.file() + ": an M2D encoder outputs '" + LAYERS + "' [B, L+1, N, D]; this model "
                    + "outputs " + model.outputs() + " (export it with tools/export/export_m2d.py)");
        }
        this.model = model;
        this.frontEnd = frontEnd;
        this.logMel = new LogMel(frontEnd);
        this.input = model.inputs().get(0).name();
        this.fixedFrames = in[3];
        this.hasLogits = model.outputs().stream().anyMatch(p -> p.name().equals(LOGITS));
    }

    /** An encoder over a model the caller has open (and closes: {@link #close} is then not called). */
    public static M2dEncoder over(OrtModel model, SedConfig frontEnd) {
        return new M2dEncoder(model, frontEnd);
    }

    /** Opens an encoder whose log-mel front end is {@code frontEnd}'s (sample rate, STFT, mels, normalisation). */
    public static M2dEncoder open(Path onnx, OrtModel.Options options, SedConfig frontEnd) throws IOException {
        return OrtModel.openAs(onnx, options, m -> new M2dEncoder(m, frontEnd));
    }

    public boolean hasLogits() {
        return hasLogits;
    }

    /** The model input for clips at the front end's sample rate: {@code [B, 1, mels, T]}. */
    public INDArray logmel(float[][] clips) {
        return fitFrames(logMel.batch(clips), fixedFrames);
    }

    /**
     * A normalised log-mel {@code [B, 1, mels, T]} cut or zero-padded (zero is the normalised mean
     * level) to {@code frames}; unchanged when {@code frames} ≤ 0 (a free time axis).
     */
    private static INDArray fitFrames(INDArray logmel, long frames) {
        long t = logmel.size(3);
        if (frames <= 0 || frames == t) {
            return logmel;
        }
        INDArray out = Nd4j.zeros(logmel.dataType(), logmel.size(0), logmel.size(1), logmel.size(2), frames);
        long keep = Math.min(t, frames);
        out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, keep))
                .assign(logmel.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, keep)));
        return out;
    }

    /** Token maps and (if present) clip logits of clips at the front end's sample rate. */
    public Output encode(float[][] clips) {
        Map<String, INDArray> out = model.run(Map.of(input, logmel(clips)));
        INDArray layers = out.get(LAYERS);
        if (layers.rank() != 4 || layers.size(0) != clips.length) {
            throw new IllegalStateException(model.file() + ": output " + LAYERS + " is " + Arrays.toString(layers.shape())
                    + ", the contract is [" + clips.length + ", L+1, N, D]");
        }
        return new Output(layers, out.get(LOGITS));
    }

    /** Stage-1 clip probabilities σ(logits), {@code [B][C]}, of clips at the front end's sample rate. */
    public float[][] clipProbabilities(float[][] clips) {
        return clipProbabilities(logmel(clips)).toFloatMatrix();
    }

    /**
     * Stage-1 clip probabilities σ(logits) {@code [B, C]} of a normalised log-mel {@code [B, 1, mels, T]}
     * from this front end (cut or zero-padded to the export's frames).
     */
    public INDArray clipProbabilities(INDArray logmel) {
        if (!hasLogits) {
            throw new IllegalStateException(model.file() + ": this M2D export has no '" + LOGITS + "' output (a backbone without "
                    + "a classification head), so it cannot give stage-1 labels");
        }
        return Transforms.sigmoid(model.run(Map.of(input, fitFrames(logmel, fixedFrames))).get(LOGITS), false);
    }

    /**
     * Per-time-step features of one layer, {@code [B, T', F'·D]}: the F' frequency tokens of each time
     * step stacked, as M2D's {@code encode} presents them (3840 = 5 × 768 for ViT-B on 80 mels).
     */
    public static INDArray frameFeatures(INDArray layers, int layer, int freqPatches) {
        long b = layers.size(0);
        long n = layers.size(2);
        long d = layers.size(3);
        if (n % freqPatches != 0) {
            throw new IllegalArgumentException(n + " tokens do not split into " + freqPatches + " frequency patches");
        }
        long t = n / freqPatches;
        INDArray one = layers.get(NDArrayIndex.all(), NDArrayIndex.point(layer), NDArrayIndex.all(), NDArrayIndex.all());
        // [B, F'·T', D] frequency-major → [B, F', T', D] → [B, T', F', D] → [B, T', F'·D]
        return one.reshape('c', b, freqPatches, t, d).permute(0, 2, 1, 3).dup('c').reshape('c', b, t, freqPatches * d);
    }

    @Override
    public void close() {
        model.close();
    }
}

package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.KaldiFbank;

/**
 * A pretrained audio encoder of the EAT/SSLAM family run from ONNX. Contract: one input, the Kaldi
 * fbank of 16 kHz audio as those models prepare it ({@link KaldiFbank#audioSetInput}: 128 bins,
 * 25 ms / 10 ms frames, AudioSet normalisation, padded or cut to a fixed frame count T, a multiple
 * of 16), shaped {@code [B, 1, T, 128]}; one output, the token sequence {@code [B, 1 + 8·T/16, D]}
 * (a CLS token, then one per 16×16 patch; D = 768 for the published models).
 */
public final class FbankEncoder implements AutoCloseable {

    private static final int BINS = 128;
    private static final int PATCH = 16;

    private final OrtModel model;
    private final int frames;
    private final String input;
    private final String output;

    private FbankEncoder(OrtModel model, int frames) {
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new IllegalArgumentException(model.file() + ": an fbank encoder has one input and one output; this model has "
                    + model.inputs() + " -> " + model.outputs());
        }
        long[] in = model.inputs().get(0).shape();
        if (in.length != 4 || in[1] != 1 || in[3] != BINS || (in[2] > 0 && in[2] != frames)) {
            throw new IllegalArgumentException(model.file() + ": input " + model.inputs().get(0) + " is not [B, 1, " + frames
                    + ", 128] fbank");
        }
        if (frames % PATCH != 0) {
            throw new IllegalArgumentException("fbank frames must be a multiple of 16, got " + frames);
        }
        this.model = model;
        this.frames = frames;
        this.input = model.inputs().get(0).name();
        this.output = model.outputs().get(0).name();
    }

    /** Opens an encoder taking {@code frames} fbank frames (the exported model's T, e.g. 1024 for 10 s). */
    public static FbankEncoder open(Path onnx, OrtModel.Options options, int frames) throws IOException {
        return OrtModel.openAs(onnx, options, m -> new FbankEncoder(m, frames));
    }

    public int frames() {
        return frames;
    }

    /** The model input for 16 kHz waveforms: {@code [B, 1, T, 128]}. */
    public INDArray fbank(float[][] waves16k) {
        float[] flat = new float[waves16k.length * frames * BINS];
        for (int b = 0; b < waves16k.length; b++) {
            float[][] fb = KaldiFbank.audioSetInput(waves16k[b], frames);
            for (int t = 0; t < frames; t++) {
                System.arraycopy(fb[t], 0, flat, (b * frames + t) * BINS, BINS);
            }
        }
        return Nd4j.create(flat, new long[] {waves16k.length, 1, frames, BINS}, 'c');
    }

    /** Tokens {@code [B, 1 + 8·T/16, D]} of 16 kHz waveforms. */
    public INDArray tokens(float[][] waves16k) {
        INDArray t = model.run(Map.of(input, fbank(waves16k))).get(output);
        long expected = 1 + (long) (BINS / PATCH) * (frames / PATCH);
        if (t.rank() != 3 || t.size(0) != waves16k.length || t.size(1) != expected) {
            throw new IllegalStateException(model.file() + ": output " + output + " is " + Arrays.toString(t.shape())
                    + ", the contract is [" + waves16k.length + ", " + expected + ", D]");
        }
        return t;
    }

    /** The CLS token of each waveform, {@code [B, D]} (the clip embedding). */
    public INDArray embedding(float[][] waves16k) {
        INDArray t = tokens(waves16k);
        return t.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }

    @Override
    public void close() {
        model.close();
    }
}

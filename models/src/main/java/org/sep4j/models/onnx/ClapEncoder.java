package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A CLAP model (LAION-CLAP and kin) run from ONNX, as two files in one folder
 * ({@code tools/export/export_clap.py} writes them):
 * <ul>
 *   <li>{@value #AUDIO_FILE}: input {@code waveform [B, S]}, 48 kHz mono, S fixed (480 000 = 10 s for
 *       the published models); output {@code embedding [B, D]} after the audio projection;</li>
 *   <li>{@value #TEXT_FILE}: inputs {@code input_ids} and {@code attention_mask}, int64
 *       {@code [B, L]} (L = 77), RoBERTa ids from {@code vocab.json} + {@code merges.txt} beside it;
 *       output {@code embedding [B, D]} after the text projection.</li>
 * </ul>
 * Embeddings come back L2-normalised, so a dot product is the cosine similarity CLAP trains with.
 * Audio longer than S is cut to its centre; shorter audio is repeated and then zero-padded, the
 * published models' "repeatpad".
 */
public final class ClapEncoder implements AutoCloseable {

    public static final String AUDIO_FILE = "clap_audio.onnx";
    public static final String TEXT_FILE = "clap_text.onnx";
    public static final int SAMPLE_RATE = 48000;

    private final OrtModel audio;
    private final OrtModel text;
    private final ByteLevelBpe tokenizer;
    private final int samples;
    private final int textLength;

    private ClapEncoder(OrtModel audio, OrtModel text, ByteLevelBpe tokenizer) {
        this.audio = audio;
        this.text = text;
        this.tokenizer = tokenizer;
        this.samples = (int) fixedAxis(audio, "waveform", 1);
        this.textLength = (int) fixedAxis(text, "input_ids", 1);
        port(text, "attention_mask");
        for (OrtModel m : new OrtModel[] {audio, text}) {
            if (m.outputs().stream().noneMatch(p -> p.name().equals("embedding"))) {
                throw new IllegalArgumentException(m.file() + ": a CLAP encoder outputs 'embedding' [B, D]; this model outputs "
                        + m.outputs());
            }
        }
    }

    /** Opens {@value #AUDIO_FILE}, {@value #TEXT_FILE}, {@code vocab.json} and {@code merges.txt} from a folder. */
    public static ClapEncoder open(Path folder, OrtModel.Options options) throws IOException {
        for (String f : new String[] {AUDIO_FILE, TEXT_FILE, "vocab.json", "merges.txt"}) {
            if (!Files.isRegularFile(folder.resolve(f))) {
                throw new IOException(folder + ": no " + f + "; a CLAP folder holds " + AUDIO_FILE + ", " + TEXT_FILE
                        + ", vocab.json and merges.txt (tools/export/export_clap.py writes them)");
            }
        }
        ByteLevelBpe bpe = ByteLevelBpe.load(folder.resolve("vocab.json"), folder.resolve("merges.txt"));
        OrtModel a = OrtModel.open(folder.resolve(AUDIO_FILE), options);
        OrtModel t = null;
        try {
            t = OrtModel.open(folder.resolve(TEXT_FILE), options);
            return new ClapEncoder(a, t, bpe);
        } catch (IOException | RuntimeException e) {
            a.close();
            if (t != null) {
                t.close();
            }
            throw e;
        }
    }

    private static OrtModel.Port port(OrtModel m, String name) {
        return m.inputs().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                m.file() + ": no input '" + name + "'; this model takes " + m.inputs() + " (export it with tools/export/export_clap.py)"));
    }

    private static long fixedAxis(OrtModel m, String input, int axis) {
        long[] s = port(m, input).shape();
        if (s.length != 2 || s[axis] <= 0) {
            throw new IllegalArgumentException(m.file() + ": input '" + input + "' should be [B, N] with N fixed, found "
                    + Arrays.toString(s));
        }
        return s[axis];
    }

    /** Samples per clip the audio encoder takes (at {@value #SAMPLE_RATE} Hz). */
    public int samples() {
        return samples;
    }

    public ByteLevelBpe tokenizer() {
        return tokenizer;
    }

    /** Cuts to the centre or repeat-pads a 48 kHz clip to {@link #samples()}. */
    public float[] fit(float[] clip) {
        float[] out = new float[samples];
        if (clip.length >= samples) {
            System.arraycopy(clip, (clip.length - samples) / 2, out, 0, samples);
        } else if (clip.length > 0) {
            int reps = samples / clip.length;
            for (int r = 0; r < reps; r++) {
                System.arraycopy(clip, 0, out, r * clip.length, clip.length);
            }
        }
        return out;
    }

    /** Unit-norm audio embeddings {@code [B, D]} of 48 kHz clips. */
    public INDArray audio(float[][] clips48k) {
        float[] flat = new float[clips48k.length * samples];
        for (int b = 0; b < clips48k.length; b++) {
            System.arraycopy(fit(clips48k[b]), 0, flat, b * samples, samples);
        }
        INDArray wave = Nd4j.create(flat, new long[] {clips48k.length, samples}, 'c');
        return unit(audio.run(Map.of("waveform", wave)).get("embedding"), audio, clips48k.length);
    }

    /** Unit-norm text embeddings {@code [B, D]}. */
    public INDArray text(String... prompts) {
        long[] ids = new long[prompts.length * textLength];
        long[] mask = new long[ids.length];
        for (int b = 0; b < prompts.length; b++) {
            ByteLevelBpe.Encoding e = tokenizer.encode(prompts[b], textLength);
            System.arraycopy(e.ids(), 0, ids, b * textLength, textLength);
            System.arraycopy(e.mask(), 0, mask, b * textLength, textLength);
        }
        long[] shape = {prompts.length, textLength};
        Map<String, INDArray> in = Map.of("input_ids", Nd4j.createFromArray(ids).reshape(shape),
                "attention_mask", Nd4j.createFromArray(mask).reshape(shape));
        return unit(text.run(in).get("embedding"), text, prompts.length);
    }

    private static INDArray unit(INDArray e, OrtModel m, int batch) {
        if (e.rank() != 2 || e.size(0) != batch) {
            throw new IllegalStateException(m.file() + ": output embedding is " + Arrays.toString(e.shape()) + ", the contract is ["
                    + batch + ", D]");
        }
        return e.divColumnVector(e.norm2(1).reshape(batch, 1).addi(1e-12));
    }

    @Override
    public void close() {
        audio.close();
        text.close();
    }
}

package org.sep4j.models.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.io.Json;

/**
 * A CLAP model (LAION-CLAP and kin) run from ONNX, as two files in one folder
 * ({@code tools/export/export_clap.py} writes them):
 * <ul>
 *   <li>{@value #AUDIO_FILE}: input {@code waveform [B, S]}, 48 kHz mono, S fixed (480 000 = 10 s for
 *       the published models); output {@code embedding [B, D]} after the audio projection;</li>
 *   <li>{@value #TEXT_FILE}: inputs {@code input_ids} and {@code attention_mask}, int64
 *       {@code [B, L]} (L = 77), RoBERTa ids from {@code vocab.json} + {@code merges.txt} beside it;
 *       output {@code embedding [B, D]} after the text projection, and (for BiSep's cross-attention)
 *       {@code last_hidden_state [B, L, H]};</li>
 *   <li>optionally {@value #AUDIO_VJP_FILE}: inputs {@code waveform [1, S]} and {@code cotangent [1, D]},
 *       outputs {@code embedding} and {@code gradient [1, S]}, the cotangent times the audio tower's
 *       Jacobian (torch's backward traced to ONNX): a frozen tower that training passes gradients
 *       through, and {@value #SETTINGS_FILE} with the {@code logit_scale} CLAP was trained with.</li>
 * </ul>
 * Embeddings come back L2-normalised, so a dot product is the cosine similarity CLAP trains with.
 * Audio longer than S is cut to its centre; shorter audio is repeated and then zero-padded, the
 * published models' "repeatpad".
 */
public final class ClapEncoder implements AutoCloseable {

    public static final String AUDIO_FILE = "clap_audio.onnx";
    public static final String TEXT_FILE = "clap_text.onnx";
    public static final String AUDIO_VJP_FILE = "clap_audio_vjp.onnx";
    public static final String SETTINGS_FILE = "clap.json";
    public static final int SAMPLE_RATE = 48000;

    private final OrtModel audio;
    private final OrtModel text;
    private final ByteLevelBpe tokenizer;
    private final int samples;
    private final int textLength;
    private final OrtModel vjp;
    private final double logitScale;
    private final Path folder;

    private ClapEncoder(Path folder, OrtModel audio, OrtModel text, OrtModel vjp, double logitScale, ByteLevelBpe tokenizer) {
        this.folder = folder;
        this.audio = audio;
        this.text = text;
        this.vjp = vjp;
        this.logitScale = logitScale;
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
        if (vjp != null) {
            long[] w = port(vjp, "waveform").shape();
            port(vjp, "cotangent");
            if (w.length != 2 || w[0] != 1 || w[1] != samples
                    || vjp.outputs().stream().map(OrtModel.Port::name).filter(n -> n.equals("embedding") || n.equals("gradient")).count() != 2) {
                throw new IllegalArgumentException(vjp.file() + ": the gradient graph takes waveform [1, " + samples
                        + "] and cotangent [1, D] to embedding and gradient; this one takes " + vjp.inputs() + " to " + vjp.outputs());
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
        double scale = Double.NaN;
        if (Files.isRegularFile(folder.resolve(SETTINGS_FILE))) {
            Object v = Json.parse(Files.readString(folder.resolve(SETTINGS_FILE))) instanceof Map<?, ?> m ? m.get("logit_scale") : null;
            if (!(v instanceof Number n) || !(n.doubleValue() > 0)) {
                throw new IOException(folder.resolve(SETTINGS_FILE) + ": expected {\"logit_scale\": <positive number>}, found logit_scale "
                        + v);
            }
            scale = n.doubleValue();
        }
        OrtModel a = OrtModel.open(folder.resolve(AUDIO_FILE), options);
        OrtModel t = null;
        OrtModel g = null;
        try {
            t = OrtModel.open(folder.resolve(TEXT_FILE), options);
            if (Files.isRegularFile(folder.resolve(AUDIO_VJP_FILE))) {
                g = OrtModel.open(folder.resolve(AUDIO_VJP_FILE), options);
            }
            return new ClapEncoder(folder, a, t, g, scale, bpe);
        } catch (IOException | RuntimeException e) {
            for (OrtModel m : new OrtModel[] {a, t, g}) {
                if (m != null) {
                    m.close();
                }
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

    /** Tokens per text (the text encoder's fixed L). */
    public int textLength() {
        return textLength;
    }

    /** Whether training can pass gradients through the audio tower ({@value #AUDIO_VJP_FILE} and {@value #SETTINGS_FILE} present). */
    public boolean trainsThroughAudio() {
        return vjp != null && !Double.isNaN(logitScale);
    }

    /** The temperature CLAP was trained with, exp(logit_scale), from {@value #SETTINGS_FILE}. */
    public double logitScale() {
        if (Double.isNaN(logitScale)) {
            throw new IllegalStateException(folder + ": no " + SETTINGS_FILE + " with the CLAP's logit_scale (export_clap.py writes it)");
        }
        return logitScale;
    }

    /** The adjoint of {@link #fit}: the gradient with respect to a clip of {@code length} samples, given one with respect to the fitted clip. */
    public float[] fitAdjoint(float[] gradient, int length) {
        float[] out = new float[length];
        if (length >= samples) {
            System.arraycopy(gradient, 0, out, (length - samples) / 2, samples);
        } else if (length > 0) {
            for (int r = 0; r < samples / length; r++) {
                for (int i = 0; i < length; i++) {
                    out[i] += gradient[r * length + i];
                }
            }
        }
        return out;
    }

    /** An audio embedding before normalisation and the gradient of {@code cotangent · embedding} with respect to the clip. */
    public record Pullback(float[] embedding, float[] gradient) {
    }

    /** The audio tower's embedding of a 48 kHz clip and its vector-Jacobian product with {@code cotangent} (through {@link #fit}). */
    public Pullback audioPullback(float[] clip48k, float[] cotangent) {
        if (vjp == null) {
            throw new IllegalStateException(folder + ": no " + AUDIO_VJP_FILE + ", so no gradient through the audio tower; export it with "
                    + "tools/export/export_clap.py");
        }
        Map<String, INDArray> out = vjp.run(Map.of("waveform", Nd4j.create(fit(clip48k), new long[] {1, samples}, 'c'),
                "cotangent", Nd4j.create(cotangent, new long[] {1, cotangent.length}, 'c')));
        return new Pullback(out.get("embedding").toFloatVector(), fitAdjoint(out.get("gradient").toFloatVector(), clip48k.length));
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
        return unit(projections(clips48k), audio, clips48k.length);
    }

    /** Audio embeddings {@code [B, D]} of 48 kHz clips before normalisation (what the audio projection outputs). */
    public INDArray projections(float[][] clips48k) {
        float[] flat = new float[clips48k.length * samples];
        for (int b = 0; b < clips48k.length; b++) {
            System.arraycopy(fit(clips48k[b]), 0, flat, b * samples, samples);
        }
        INDArray wave = Nd4j.create(flat, new long[] {clips48k.length, samples}, 'c');
        INDArray e = audio.run(Map.of("waveform", wave)).get("embedding");
        if (e.rank() != 2 || e.size(0) != clips48k.length) {
            throw new IllegalStateException(audio.file() + ": output embedding is " + Arrays.toString(e.shape()) + ", the contract is ["
                    + clips48k.length + ", D]");
        }
        return e;
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

    /** A text's unit embedding {@code [D]}, its token states {@code [L, H]} and their attention mask {@code [L]}. */
    public record TextStates(INDArray embedding, INDArray hidden, float[] keep) {
    }

    /** Embedding and token states of one text (BiSep's query: cross-attention keys and the mask head's input). */
    public TextStates textStates(String prompt) {
        if (text.outputs().stream().noneMatch(p -> p.name().equals("last_hidden_state"))) {
            throw new IllegalStateException(text.file() + ": no output 'last_hidden_state' [B, L, H]; BiSep attends to the text's "
                    + "tokens: export the text tower again with tools/export/export_clap.py");
        }
        ByteLevelBpe.Encoding e = tokenizer.encode(prompt, textLength);
        long[] shape = {1, textLength};
        Map<String, INDArray> out = text.run(Map.of("input_ids", Nd4j.createFromArray(e.ids()).reshape(shape),
                "attention_mask", Nd4j.createFromArray(e.mask()).reshape(shape)));
        float[] keep = new float[textLength];
        for (int i = 0; i < textLength; i++) {
            keep[i] = e.mask()[i];
        }
        INDArray h = out.get("last_hidden_state");
        return new TextStates(unit(out.get("embedding"), text, 1).reshape(-1).dup(), h.reshape(h.size(1), h.size(2)).dup(), keep);
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
        if (vjp != null) {
            vjp.close();
        }
    }
}

package org.sep4j.training.clap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.models.clap.ClapConfig;
import org.sep4j.models.clap.NativeClap;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.WeightImport;
import org.sep4j.models.onnx.ByteLevelBpe;

/**
 * A CLAP that {@code experiment=clap/tiny} trained, read back from its run folder (or one of its
 * checkpoint folders): the tokenizer it saved in {@code tokenizer/} and the weights of
 * {@code checkpoints/best} (else {@code last}). Its frozen text tower encodes queries, each text
 * once (queries repeat from step to step).
 */
public final class TrainedClap implements ClapTowers {

    /** The run folder's sub-folder holding vocab.json and merges.txt. */
    public static final String TOKENIZER = "tokenizer";

    private final ClapConfig cfg;
    private final ByteLevelBpe tokenizer;
    private final Map<String, TensorData> weights;
    private final Path weightsFile;
    private final Graph text;
    private final Map<String, INDArray[]> cache = new ConcurrentHashMap<>();

    private TrainedClap(ClapConfig cfg, ByteLevelBpe tokenizer, Map<String, TensorData> weights, Path weightsFile) {
        this.cfg = cfg;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.weightsFile = weightsFile;
        this.text = new Graph(0);
        text.train(false);
        NativeClap.Text t = new NativeClap(cfg, tokenizer.vocabularySize()).text(text, -1);
        text.sd().identity("hidden", t.hidden());
        text.sd().identity("embedding", t.embedding());
        load(text, "text.");
    }

    /**
     * @param at  a CLAP run folder, or a checkpoint folder inside one
     * @param key the config key that named it (for errors)
     */
    public static TrainedClap open(Path at, ClapConfig cfg, String key) throws IOException {
        if (at == null) {
            throw new IllegalArgumentException(key + ": no CLAP given; train one with `sep4j train experiment=clap/tiny` and "
                    + "pass its run folder");
        }
        Path weights = null;
        for (Path p : List.of(at.resolve("weights.safetensors"), at.resolve("checkpoints/best/weights.safetensors"),
                at.resolve("checkpoints/last/weights.safetensors"))) {
            if (Files.isRegularFile(p)) {
                weights = p;
                break;
            }
        }
        Path run = at.toAbsolutePath().normalize();
        Path tok = null;
        for (Path p : new Path[] {run.resolve(TOKENIZER), run.getNameCount() > 2 ? run.getParent().getParent().resolve(TOKENIZER) : null}) {
            if (p != null && Files.isRegularFile(p.resolve("vocab.json"))) { // a run folder, or its checkpoints/<name>
                tok = p;
                break;
            }
        }
        if (weights == null || tok == null) {
            throw new IOException(key + ": " + at + " is not a CLAP run: expected " + (weights == null
                    ? "checkpoints/best/weights.safetensors (or last/)" : "") + (weights == null && tok == null ? " and " : "")
                    + (tok == null ? TOKENIZER + "/vocab.json" : "") + " there (sep4j train experiment=clap/tiny writes both)");
        }
        ByteLevelBpe bpe = ByteLevelBpe.load(tok.resolve("vocab.json"), tok.resolve("merges.txt"));
        return new TrainedClap(cfg, bpe, Safetensors.read(weights).tensors(), weights);
    }

    public ClapConfig config() {
        return cfg;
    }

    public ByteLevelBpe tokenizer() {
        return tokenizer;
    }

    @Override
    public String source() {
        return "the CLAP of " + weightsFile;
    }

    @Override
    public int textTokens() {
        return cfg.textTokens();
    }

    @Override
    public int textDim() {
        return cfg.textDim();
    }

    @Override
    public int embeddingDim() {
        return cfg.embeddingDim();
    }

    public Path weightsFile() {
        return weightsFile;
    }

    /** Loads the CLAP's parameters under {@code prefix} (audio., text.) and its temperature into {@code g}, all of them or an error. */
    public void load(Graph g, String prefix) {
        Map<String, TensorData> mine = new java.util.LinkedHashMap<>();
        weights.forEach((k, v) -> {
            if (k.startsWith(prefix) || k.equals(NativeClap.LOGIT_SCALE)) {
                mine.put(k, v);
            }
        });
        WeightImport.Report r = WeightImport.load(g, mine, n -> n, false);
        List<String> missing = r.missing().stream().filter(n -> n.startsWith(prefix) || n.equals(NativeClap.LOGIT_SCALE))
                .toList();
        if (!missing.isEmpty() || !r.mismatched().isEmpty()) {
            throw new IllegalArgumentException(weightsFile + " does not fit model.clap (the CLAP run's sizes): missing " + missing
                    + ", mismatched " + r.mismatched());
        }
    }

    /** The frozen audio tower into {@code g} on a waveform {@code [B, samples]} (BN in evaluation mode), with its weights; unit embeddings. */
    public SDVariable audio(Graph g, SDVariable wave) {
        boolean mode = g.training();
        g.train(false);
        SDVariable a = new NativeClap(cfg, tokenizer.vocabularySize()).audio(g, wave);
        NativeClap.logitScale(g);
        g.train(mode);
        load(g, "audio.");
        return a;
    }

    /** Hidden states {@code [L, D]} and unit embedding {@code [E]} of a text (computed once per text). */
    @Override
    public INDArray[] text(String query) {
        return cache.computeIfAbsent(query, q -> {
            Map<String, INDArray> out = text.output(ClapTask.text(tokenizer, cfg.textTokens(), q), "hidden", "embedding");
            return new INDArray[] {out.get("hidden").reshape(cfg.textTokens(), cfg.textDim()).dup(),
                    out.get("embedding").reshape(cfg.embeddingDim()).dup()};
        });
    }

    @Override
    public float[] keep(String query) {
        long[] m = tokenizer.encode(query, cfg.textTokens()).mask();
        float[] k = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            k[i] = m[i];
        }
        return k;
    }
}

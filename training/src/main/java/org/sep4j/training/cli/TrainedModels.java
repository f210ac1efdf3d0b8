package org.sep4j.training.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.data.DataConfig;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Checkpoint;
import org.sep4j.training.dcase.SeparatorTask;
import org.sep4j.training.dcase.TaggerTask;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.eval.ChunkedSeparator;
import org.sep4j.training.eval.ChunkedTagger;
import org.sep4j.training.eval.InferenceSettings;

/**
 * The trained models a command runs ({@code checkpoint=} separator, optional {@code tagger=}), each
 * a sep4j run or checkpoint folder or an exported ONNX file, wrapped for recordings of any length
 * and rate. A run folder's own config (its {@code overrides.txt}) is the default; the command's
 * overrides apply on top.
 */
final class TrainedModels implements AutoCloseable {

    final Path separatorAt;
    final Path taggerAt;
    final ChunkedSeparator separator;
    final ChunkedTagger tagger;
    final List<String> classes;
    private final List<OrtModel> sessions = new ArrayList<>();

    private TrainedModels(Path separatorAt, Path taggerAt, ChunkedSeparator separator, ChunkedTagger tagger,
            List<String> classes) {
        this.separatorAt = separatorAt;
        this.taggerAt = taggerAt;
        this.separator = separator;
        this.tagger = tagger;
        this.classes = classes;
    }

    /**
     * Loads the models; config, argument and file errors are {@link IllegalArgumentException}s or
     * {@link ConfigError}s naming the key or file.
     *
     * @param overrides the command's config overrides (after {@code checkpoint=}/{@code tagger=} were taken out)
     */
    static TrainedModels load(ConfigCommand.Composition composition, List<String> overrides, Path separatorAt,
            Path taggerAt) throws IOException {
        // the defaults: the separator run's config, else the tagger run's (sep4j tag)
        List<String> all = new ArrayList<>(runOverrides(separatorAt != null ? separatorAt : taggerAt));
        all.addAll(overrides);
        Composed config = composition.compose(all);
        SceneGenerator gen = ConfigBinder.bind(config, "data", DataConfig.class).generator();
        SedConfig sed = ConfigBinder.bind(config, "model.sed", SedConfig.class);
        TrainSettings settings = ConfigBinder.bind(config, "trainer", TrainSettings.class);
        InferenceSettings inference = ConfigBinder.bind(config, "inference", InferenceSettings.class);
        SeparatorTask task = new SeparatorTask(ConfigBinder.bind(config, "model.separator", SeparatorConfig.class), sed, gen,
                settings);
        long seed = ((Number) config.get("seed")).longValue();
        Path sepAt = separatorAt == null ? null
                : onnx(separatorAt) ? existing(separatorAt, "checkpoint") : checkpoint(separatorAt, "checkpoint");
        Path tagAt = taggerAt == null ? null : onnx(taggerAt) ? existing(taggerAt, "tagger") : checkpoint(taggerAt, "tagger");
        TrainedModels m = null;
        List<OrtModel> opened = new ArrayList<>();
        try {
            SeparatorTask.Engine engine = null;
            if (sepAt == null) {
                // the tagger alone
            } else if (onnx(sepAt)) { // a separator exported by sep4j export (same inputs as the graph)
                OrtModel s = OrtModel.open(sepAt, OrtModel.Options.defaults().provider("auto"));
                opened.add(s);
                engine = SeparatorTask.Engine.of(s);
            } else {
                Graph g = task.graph(false, -1, seed);
                Checkpoint.loadWeights(sepAt, g);
                OrtModel s = inference.onnx() ? exported(() -> OrtModel.of(g, List.of(ResUNet.ESTIMATE), sepAt, AUTO), sepAt)
                        : null;
                if (s != null) {
                    opened.add(s);
                }
                engine = s != null ? SeparatorTask.Engine.of(s) : SeparatorTask.Engine.of(g);
            }
            ChunkedTagger chunkedTagger = null;
            List<String> classes = null;
            if (tagAt != null) {
                TaggerTask t = new TaggerTask(sed, gen, settings);
                java.util.function.Function<float[][], List<float[]>> probabilities;
                java.util.function.Function<float[][], List<float[][]>> frames = null;
                if (onnx(tagAt)) { // a foreign stage-1 tagger (e.g. an exported M2D)
                    OrtModel o = OrtModel.open(tagAt, AUTO);
                    opened.add(o);
                    probabilities = ch0 -> t.probabilities(o, ch0);
                } else {
                    Graph g = t.graph(false, seed);
                    Checkpoint.loadWeights(tagAt, g);
                    OrtModel o = inference.onnx() ? exported(() -> t.exported(g, tagAt, AUTO), tagAt) : null;
                    if (o != null) {
                        opened.add(o);
                        probabilities = ch0 -> t.probabilities(o, ch0);
                    } else {
                        probabilities = ch0 -> t.probabilities(g, ch0);
                    }
                    if (t.hasFrames(g)) { // an attention head: frame outputs
                        frames = o != null ? ch0 -> t.frameProbabilities(o, ch0) : ch0 -> t.frameProbabilities(g, ch0);
                    }
                }
                chunkedTagger = new ChunkedTagger(probabilities, frames, t.samples(), t.sampleRate(), inference);
                classes = t.classes();
            }
            m = new TrainedModels(sepAt, tagAt, engine == null ? null : new ChunkedSeparator(task, engine, inference),
                    chunkedTagger, classes);
            m.sessions.addAll(opened);
            return m;
        } finally {
            if (m == null) {
                for (OrtModel o : opened) {
                    o.close();
                }
            }
        }
    }

    private static final OrtModel.Options AUTO = OrtModel.Options.defaults().provider("auto");

    /** Opens a trained graph's ONNX export. */
    @FunctionalInterface
    private interface Export {
        OrtModel open() throws IOException;
    }

    /**
     * A trained graph run in ONNX Runtime (inference.engine = onnx), or null, with a line saying why,
     * when the exporter cannot carry it: the graph itself runs then.
     */
    private static OrtModel exported(Export export, Path at) {
        try {
            return export.open();
        } catch (IOException | RuntimeException e) {
            System.err.println(at + ": running the graph in SameDiff, the ONNX export failed (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * The overrides a run folder was composed with ({@code overrides.txt} beside its
     * {@code checkpoints/}), so that its config is the default; none for ONNX files and bare
     * checkpoint folders.
     */
    static List<String> runOverrides(Path model) throws IOException {
        if (onnx(model)) {
            return List.of();
        }
        for (Path dir : new Path[] {model, model.getParent(), model.getParent() == null ? null : model.getParent().getParent()}) {
            if (dir != null && Files.isRegularFile(dir.resolve("overrides.txt")) && Files.isDirectory(dir.resolve("checkpoints"))) {
                return Files.readAllLines(dir.resolve("overrides.txt")).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("run.")).toList();
            }
        }
        return List.of();
    }

    /** A checkpoint folder, or a run folder whose checkpoints/best (else last) is used. */
    static Path checkpoint(Path p, String key) throws IOException {
        for (Path c : List.of(p, p.resolve("checkpoints/best"), p.resolve("checkpoints/last"), p.resolve("best"))) {
            if (Files.isRegularFile(c.resolve("state.json"))) {
                return c;
            }
        }
        throw new IOException(key + "=" + p + ": no checkpoint there (expected a run folder with checkpoints/best or a "
                + "checkpoint folder with state.json)");
    }

    private static Path existing(Path p, String key) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IOException(key + "=" + p + ": no such ONNX file");
        }
        return p;
    }

    /** A model given as an ONNX file (else a sep4j run or checkpoint folder). */
    static boolean onnx(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public void close() {
        for (OrtModel o : sessions) {
            o.close();
        }
    }
}

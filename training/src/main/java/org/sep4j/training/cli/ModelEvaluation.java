package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.data.DataConfig;
import org.sep4j.data.dcase.Dcase2025Layout;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.evaluation.scoring.FolderScorer;
import org.sep4j.evaluation.scoring.Layout;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Checkpoint;
import org.sep4j.training.dcase.SeparatorTask;
import org.sep4j.training.dcase.TaggerTask;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.eval.DcaseSeparation;
import picocli.CommandLine;

/**
 * {@code sep4j eval experiment=... checkpoint=RUN set=DIR [tagger=RUN]}: separates a DCASE-layout
 * set with a trained separator (stage-1 labels from a tagger checkpoint, or the oracle labels) and
 * scores the estimates with the folder scorer.
 */
final class ModelEvaluation {

    private final CommandLine.Model.CommandSpec spec;
    private final ConfigCommand.Composition composition;
    private final String metrics;
    private final FolderScorer.Settings settings;
    private final Path out;

    ModelEvaluation(CommandLine.Model.CommandSpec spec, ConfigCommand.Composition composition, String metrics,
            FolderScorer.Settings settings, Path out) {
        this.settings = settings;
        this.spec = spec;
        this.composition = composition;
        this.metrics = metrics;
        this.out = out;
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

    Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        List<String> overrides = new ArrayList<>();
        Map<String, String> own = composition.take(List.of("checkpoint", "tagger", "set"), overrides);
        Path separatorAt = own.containsKey("checkpoint") ? Path.of(own.get("checkpoint")) : null;
        Path taggerAt = own.containsKey("tagger") ? Path.of(own.get("tagger")) : null;
        Path set = own.containsKey("set") ? Path.of(own.get("set")) : null;
        if (separatorAt == null || set == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give checkpoint=<separator run or checkpoint> and "
                    + "set=<folder in the DCASE layout> (sep4j generate makes one)");
        }
        SeparatorTask separator;
        TaggerTask tagger = null;
        long seed;
        try {
            Composed config = composition.compose(overrides);
            SceneGenerator gen = ConfigBinder.bind(config, "data", DataConfig.class).generator();
            SedConfig sed = ConfigBinder.bind(config, "model.sed", SedConfig.class);
            TrainSettings settings = ConfigBinder.bind(config, "trainer", TrainSettings.class);
            separator = new SeparatorTask(ConfigBinder.bind(config, "model.separator", SeparatorConfig.class), sed, gen, settings);
            if (taggerAt != null) {
                tagger = new TaggerTask(sed, gen, settings);
            }
            seed = ((Number) config.get("seed")).longValue();
            separatorAt = onnx(separatorAt) ? separatorAt : checkpoint(separatorAt, "checkpoint");
            taggerAt = taggerAt == null || onnx(taggerAt) ? taggerAt : checkpoint(taggerAt, "tagger");
        } catch (ConfigError | IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        java.util.function.Function<float[][], List<float[]>> stage1 = null;
        OrtModel onnxTagger = null;
        OrtModel onnxSeparator = null;
        SeparatorTask.Engine engine;
        if (onnx(separatorAt)) { // a separator exported by sep4j export (same inputs as the graph)
            if (!java.nio.file.Files.isRegularFile(separatorAt)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "checkpoint=" + separatorAt + ": no such ONNX file");
            }
            onnxSeparator = OrtModel.open(separatorAt,
                    OrtModel.Options.defaults().provider("auto"));
            engine = SeparatorTask.Engine.of(onnxSeparator);
        } else {
            Graph sepGraph = separator.graph(false, -1, seed);
            Checkpoint.loadWeights(separatorAt, sepGraph);
            engine = SeparatorTask.Engine.of(sepGraph);
        }
        if (tagger != null && onnx(taggerAt)) { // a foreign stage-1 tagger (e.g. an exported M2D)
            TaggerTask t = tagger;
            OrtModel m = OrtModel.open(taggerAt,
                    OrtModel.Options.defaults().provider("auto"));
            onnxTagger = m;
            stage1 = ch0 -> t.probabilities(m, ch0);
        } else if (tagger != null) {
            TaggerTask t = tagger;
            Graph tagGraph = tagger.graph(false, seed);
            Checkpoint.loadWeights(taggerAt, tagGraph);
            stage1 = ch0 -> t.probabilities(tagGraph, ch0);
        }
        Path dir = EvalCommand.reportDir(out);
        Dcase2025Layout layout = new Dcase2025Layout(set);
        Path estimates = dir.resolve("estimates");
        DcaseSeparation.Summary s;
        try {
            s = new DcaseSeparation(separator, engine, tagger == null ? null : tagger.classes(), stage1).run(layout, estimates);
        } finally {
            if (onnxTagger != null) {
                onnxTagger.close();
            }
            if (onnxSeparator != null) {
                onnxSeparator.close();
            }
        }
        w.printf("separated %d soundscapes (%d done before), %d estimates in %s; labels: %s%n", s.separated(), s.skipped(),
                s.estimates(), estimates, tagger == null ? "oracle" : "stage 1 from " + taggerAt);
        FolderScorer.Result result = new FolderScorer(layout.root().resolve(Dcase2025Layout.ORACLE), estimates,
                layout.root().resolve(Dcase2025Layout.SOUNDSCAPE),
                FolderScorer.Metric.parse(metrics != null ? metrics : "casdri,snr,sisdr"), settings).run(Layout.DCASE);
        Map<String, Object> provenance = EvalCommand.provenance();
        provenance.put("separator", separatorAt.toAbsolutePath().toString());
        provenance.put("tagger", taggerAt == null ? "oracle labels" : taggerAt.toAbsolutePath().toString());
        provenance.put("set", layout.root().toAbsolutePath().toString());
        return EvalCommand.report(w, result, provenance, dir);
    }

    /** A model given as an ONNX file (else a sep4j run or checkpoint folder). */
    private static boolean onnx(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }
}

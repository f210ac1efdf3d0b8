package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sep4j.core.config.ConfigError;
import org.sep4j.data.dcase.Dcase2025Layout;
import org.sep4j.evaluation.scoring.FolderScorer;
import org.sep4j.evaluation.scoring.Layout;
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
        Path dir = EvalCommand.reportDir(out);
        Dcase2025Layout layout = new Dcase2025Layout(set);
        Path estimates = dir.resolve("estimates");
        DcaseSeparation.Summary s;
        TrainedModels models;
        try {
            models = TrainedModels.load(composition, overrides, separatorAt, taggerAt);
        } catch (ConfigError | IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (models) {
            s = new DcaseSeparation(models.separator, models.classes, models.tagger).run(layout, estimates);
        }
        separatorAt = models.separatorAt;
        taggerAt = models.taggerAt;
        w.printf("separated %d soundscapes (%d done before), %d estimates in %s; labels: %s%n", s.separated(), s.skipped(),
                s.estimates(), estimates, taggerAt == null ? "oracle" : "stage 1 from " + taggerAt);
        FolderScorer.Result result = new FolderScorer(layout.root().resolve(Dcase2025Layout.ORACLE), estimates,
                layout.root().resolve(Dcase2025Layout.SOUNDSCAPE),
                FolderScorer.Metric.parse(metrics != null ? metrics : "casdri,snr,sisdr"), settings).run(Layout.DCASE);
        Map<String, Object> provenance = EvalCommand.provenance();
        provenance.put("separator", separatorAt.toAbsolutePath().toString());
        provenance.put("tagger", taggerAt == null ? "oracle labels" : taggerAt.toAbsolutePath().toString());
        provenance.put("set", layout.root().toAbsolutePath().toString());
        return EvalCommand.report(w, result, provenance, dir, true); // no estimate = the model chose no label: a false negative
    }
}

package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.data.DataConfig;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Trainer;
import org.sep4j.training.dcase.SeparatorTask;
import org.sep4j.training.dcase.TaggerTask;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.experiment.Experiment;
import org.sep4j.training.sslam.LinearProbeTask;
import org.sep4j.training.sslam.PretrainTask;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sep4j train experiment=dcase2025/<tagger|baseline|separator> [OVERRIDES]}: trains on
 * generated scenes, validates every {@code trainer.validate_every} steps, keeps
 * {@code checkpoints/last} and {@code checkpoints/best} in the run folder and resumes an
 * interrupted run with the same {@code run.name}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a DCASE 2025 Task 4 model (tagger or separator) on generated scenes.", "",
            "Arguments are config overrides; the experiment picks the model (task: tagger | separator | sslam_pretrain | sslam_linear).",
            "Rerunning with the same run.name resumes from the last checkpoint."},
        footer = {"", "Examples:", "  sep4j train experiment=dcase2025/tagger run.name=sed",
            "  sep4j train experiment=dcase2025/separator trainer.tagger=outputs/dcase2025/tagger/sed/checkpoints/best",
            "  sep4j train experiment=dcase2025/separator model.separator.dprnn.use=true trainer.steps=500"})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Composed config;
        String task;
        DataConfig data;
        SedConfig sed;
        SeparatorConfig sep;
        TrainSettings settings;
        SceneGenerator gen;
        long seed;
        PretrainTask pretrain = null;
        LinearProbeTask probe = null;
        try {
            config = composition.compose(composition.overrides);
            Object t = config.get("task");
            task = t == null ? null : t.toString();
            if (!java.util.List.of("tagger", "separator", "sslam_pretrain", "sslam_linear").contains(task)) {
                throw new ConfigError("task: expected tagger, separator, sslam_pretrain or sslam_linear (choose an experiment, e.g. "
                        + "experiment=dcase2025/tagger or experiment=sslam/pretrain), found " + (task == null ? "nothing" : "'" + task + "'"));
            }
            data = ConfigBinder.bind(config, "data", DataConfig.class);
            sed = ConfigBinder.bind(config, "model.sed", SedConfig.class);
            sep = ConfigBinder.bind(config, "model.separator", SeparatorConfig.class);
            settings = ConfigBinder.bind(config, "trainer", TrainSettings.class);
            seed = ((Number) config.get("seed")).longValue();
            gen = data.generator();
            if (task.equals("sslam_pretrain")) {
                pretrain = new PretrainTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "pretrain", PretrainTask.Settings.class), gen, settings, seed);
            } else if (task.equals("sslam_linear")) {
                probe = new LinearProbeTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "probe", LinearProbeTask.Settings.class), gen, settings);
            }
        } catch (ConfigError | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("sep4j", Versions.sep4j());
        provenance.put("created", LocalDateTime.now().toString());
        try (Experiment exp = Experiment.open(config, provenance, System.err, System.getenv())) {
            Path checkpoints = exp.folder().dir().resolve("checkpoints");
            long t0 = System.nanoTime();
            Trainer.Result r;
            long params;
            if (pretrain != null) {
                params = pretrain.parameterCount();
                exp.info(String.format(Locale.ROOT, "sslam pre-training: %.3f M parameters (student and decoder), %d steps of %d "
                        + "clips", params / 1e6, settings.steps(), settings.batchSize()));
                r = pretrain.train(checkpoints, exp.tracker(), seed);
            } else if (probe != null) {
                params = probe.parameterCount(seed);
                exp.info(String.format(Locale.ROOT, "sslam linear evaluation: %.3f M parameters (the head trains), %d steps of %d "
                        + "clips", params / 1e6, settings.steps(), settings.batchSize()));
                r = probe.train(checkpoints, exp.tracker(), seed, exp::info);
            } else if (task.equals("tagger")) {
                TaggerTask tagger = new TaggerTask(sed, gen, settings);
                params = tagger.graph(false, seed).parameterCount();
                exp.info(String.format(Locale.ROOT, "tagger: %.3f M parameters, %d steps of %d mixtures", params / 1e6,
                        settings.steps(), settings.batchSize()));
                r = tagger.train(checkpoints, exp.tracker(), seed, exp::info);
            } else {
                SeparatorTask separator = new SeparatorTask(sep, sed, gen, settings);
                params = separator.graph(false, -1, seed).parameterCount();
                exp.info(String.format(Locale.ROOT, "separator: %.3f M parameters, %d steps of %d mixtures", params / 1e6,
                        settings.steps(), settings.batchSize()));
                r = separator.train(checkpoints, exp.tracker(), seed, exp::info);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("task", task);
            result.put("parameters", params);
            result.put("monitor", switch (task) {
                case "tagger" -> "label_accuracy";
                case "separator" -> "ca_sdri";
                case "sslam_linear" -> "map";
                default -> "loss";
            });
            result.put("best", r.best());
            result.put("best_step", r.bestStep());
            result.put("last_loss", r.lastLoss());
            result.put("stopped_early", r.stoppedEarly());
            result.put("train_seconds", secs);
            AtomicFiles.writeString(exp.folder().dir().resolve("result.json"), Json.pretty(result));
            if (pretrain != null) { // no validation: the last checkpoint, its teacher beside it
                out.printf(Locale.ROOT, "%s: last loss %.4f, %.0f s%n", task, r.lastLoss(), secs);
            } else {
                out.printf(Locale.ROOT, "%s: best %s %.4f at step %d, last loss %.4f, %.0f s%n", task, result.get("monitor"), r.best(),
                        r.bestStep(), r.lastLoss(), secs);
            }
            out.println("checkpoints: " + checkpoints);
            out.flush();
            exp.succeeded();
        }
        return 0;
    }
}

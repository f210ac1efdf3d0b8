package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.sep4j.core.track.Tracker;
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
import org.sep4j.training.sslam.FinetuneTask;
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
        description = {"Train a model: a DCASE 2025 Task 4 tagger or separator on generated scenes, or the SSLAM encoder (pre-training, linear evaluation, fine-tuning).", "",
            "Arguments are config overrides; the experiment picks the model (task: tagger | separator | sslam_pretrain | sslam_linear | sslam_finetune).",
            "Rerunning with the same run.name resumes from the last checkpoint."},
        footer = {"", "Examples:", "  sep4j train experiment=dcase2025/tagger run.name=sed",
            "  sep4j train experiment=dcase2025/separator trainer.tagger=outputs/dcase2025/tagger/sed/checkpoints/best",
            "  sep4j train experiment=dcase2025/separator model.separator.dprnn.use=true trainer.steps=500"})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    private static final java.util.List<String> TASKS = java.util.List.of("tagger", "separator", "sslam_pretrain", "sslam_linear",
            "sslam_finetune");

    /** One task, built (and its config checked) before the run folder exists. */
    private interface Job {
        /** The parameters that train. */
        long parameters();

        /** What the run log says before training: the model's size and the steps ahead. */
        String summary();

        /** The metric the best checkpoint is chosen by ("loss": none, the last checkpoint). */
        String monitor();

        Trainer.Result train(Path checkpoints, Tracker tracker, Consumer<String> log) throws IOException;
    }

    private static Job job(String task, Composed config, TrainSettings t, SceneGenerator gen, long seed) throws IOException {
        String steps = String.format(Locale.ROOT, "%d steps of %d", t.steps(), t.batchSize());
        switch (task) {
            case "sslam_pretrain" -> {
                PretrainTask p = new PretrainTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "pretrain", PretrainTask.Settings.class), gen, t, seed);
                return job(p.parameterCount(), "sslam pre-training: %.3f M parameters (student and decoder), " + steps + " clips", "loss",
                        (c, tr, log) -> p.train(c, tr, seed, log));
            }
            case "sslam_linear" -> {
                LinearProbeTask p = new LinearProbeTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "probe", LinearProbeTask.Settings.class), gen, t);
                return job(p.parameterCount(seed), "sslam linear evaluation: %.3f M parameters (the head trains), " + steps
                        + " clip features", "map", (c, tr, log) -> p.train(c, tr, seed, log));
            }
            case "sslam_finetune" -> {
                FinetuneTask f = new FinetuneTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "finetune", FinetuneTask.Settings.class), gen, t);
                return job(f.parameterCount(seed), "sslam fine-tuning: %.3f M parameters, " + steps + " clips", "map",
                        (c, tr, log) -> f.train(c, tr, seed, log));
            }
            case "tagger" -> {
                TaggerTask tagger = new TaggerTask(ConfigBinder.bind(config, "model.sed", SedConfig.class), gen, t);
                return job(tagger.graph(false, seed).parameterCount(), "tagger: %.3f M parameters, " + steps + " mixtures",
                        "label_accuracy", (c, tr, log) -> tagger.train(c, tr, seed, log));
            }
            default -> {
                SeparatorTask separator = new SeparatorTask(ConfigBinder.bind(config, "model.separator", SeparatorConfig.class),
                        ConfigBinder.bind(config, "model.sed", SedConfig.class), gen, t);
                return job(separator.graph(false, -1, seed).parameterCount(), "separator: %.3f M parameters, " + steps
                        + " mixtures", "ca_sdri", (c, tr, log) -> separator.train(c, tr, seed, log));
            }
        }
    }

    private interface Training {
        Trainer.Result train(Path checkpoints, Tracker tracker, Consumer<String> log) throws IOException;
    }

    private static Job job(long parameters, String summary, String monitor, Training training) {
        return new Job() {
            public long parameters() {
                return parameters;
            }

            public String summary() {
                return String.format(Locale.ROOT, summary, parameters / 1e6);
            }

            public String monitor() {
                return monitor;
            }

            public Trainer.Result train(Path checkpoints, Tracker tracker, Consumer<String> log) throws IOException {
                return training.train(checkpoints, tracker, log);
            }
        };
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Composed config;
        String task;
        Job job;
        try {
            config = composition.compose(composition.overrides);
            Object t = config.get("task");
            task = t == null ? null : t.toString();
            if (!TASKS.contains(task)) {
                throw new ConfigError("task: expected one of " + TASKS + " (choose an experiment, e.g. experiment=dcase2025/tagger or "
                        + "experiment=sslam/pretrain), found " + (task == null ? "nothing" : "'" + task + "'"));
            }
            DataConfig data = ConfigBinder.bind(config, "data", DataConfig.class);
            TrainSettings settings = ConfigBinder.bind(config, "trainer", TrainSettings.class);
            long seed = ((Number) config.get("seed")).longValue();
            job = job(task, config, settings, data.generator(), seed);
        } catch (ConfigError | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("sep4j", Versions.sep4j());
        provenance.put("created", LocalDateTime.now().toString());
        try (Experiment exp = Experiment.open(config, provenance, System.err, System.getenv())) {
            Path checkpoints = exp.folder().dir().resolve("checkpoints");
            long t0 = System.nanoTime();
            exp.info(job.summary());
            Trainer.Result r = job.train(checkpoints, exp.tracker(), exp::info);
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("task", task);
            result.put("parameters", job.parameters());
            result.put("monitor", job.monitor());
            result.put("best", r.best());
            result.put("best_step", r.bestStep());
            result.put("last_loss", r.lastLoss());
            result.put("stopped_early", r.stoppedEarly());
            result.put("train_seconds", secs);
            AtomicFiles.writeString(exp.folder().dir().resolve("result.json"), Json.pretty(result));
            if (job.monitor().equals("loss")) { // no validation: the last checkpoint (for pre-training, its teacher beside it)
                out.printf(Locale.ROOT, "%s: last loss %.4f, %.0f s%n", task, r.lastLoss(), secs);
            } else {
                out.printf(Locale.ROOT, "%s: best %s %.4f at step %d, last loss %.4f, %.0f s%n", task, job.monitor(), r.best(),
                        r.bestStep(), r.lastLoss(), secs);
            }
            out.println("checkpoints: " + checkpoints);
            out.flush();
            exp.succeeded();
        }
        return 0;
    }
}

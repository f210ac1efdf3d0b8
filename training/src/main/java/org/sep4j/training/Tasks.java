package org.sep4j.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.core.track.Tracker;
import org.sep4j.data.DataConfig;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.bisep.BiSepConfig;
import org.sep4j.models.clap.ClapConfig;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.models.sslam.EatConfig;
import org.sep4j.training.bisep.BiSepTask;
import org.sep4j.training.clap.ClapTask;
import org.sep4j.training.dcase.SeparatorTask;
import org.sep4j.training.dcase.TaggerTask;
import org.sep4j.training.dcase.TrainSettings;
import org.sep4j.training.experiment.Experiment;
import org.sep4j.training.sslam.FinetuneTask;
import org.sep4j.training.sslam.LinearProbeTask;
import org.sep4j.training.sslam.PretrainTask;

/**
 * The training tasks a config's {@code task:} names, each built from the composed config (so a bad
 * value is an error before any run folder exists) and run inside an {@link Experiment}.
 */
public final class Tasks {

    /** The task names, as the {@code task} key takes them. */
    public static final String NAMES = "tagger | separator | sslam_pretrain | sslam_linear | sslam_finetune | clap | bisep";

    private static final List<String> TASKS = List.of(NAMES.split(" \\| "));

    private Tasks() {
    }

    /** One task, built and checked. */
    public interface Job {
        String task();

        /** The parameters that train. */
        long parameters();

        /** What the run log says before training: the model's size and the steps ahead. */
        String summary();

        /** The metric the best checkpoint is chosen by ("loss": none, the last checkpoint). */
        String monitor();

        Trainer.Result train(Path checkpoints, Tracker tracker, Consumer<String> log) throws IOException;
    }

    /** The task {@code config} names. */
    public static Job job(Composed config) throws IOException {
        Object t = config.get("task");
        String task = t == null ? null : t.toString();
        if (!TASKS.contains(task)) {
            throw new ConfigError("task: expected one of " + TASKS + " (choose an experiment, e.g. experiment=dcase2025/tagger or "
                    + "experiment=sslam/pretrain), found " + (task == null ? "nothing" : "'" + task + "'"));
        }
        TrainSettings ts = ConfigBinder.bind(config, "trainer", TrainSettings.class);
        long seed = ((Number) config.get("seed")).longValue();
        String steps = String.format(Locale.ROOT, "%d steps of %d", ts.steps(), ts.batchSize());
        switch (task) {
            case "bisep" -> {
                BiSepTask b = BiSepTask.of(ConfigBinder.bind(config, "model.bisep", BiSepConfig.class),
                        ConfigBinder.bind(config, "bisep", BiSepTask.Settings.class),
                        ConfigBinder.bind(config, "data", DataConfig.class).library(),
                        ConfigBinder.bind(config, "model.clap", ClapConfig.class), ts);
                return job(task, b.parameterCount(seed), "bisep: %.3f M parameters, " + steps + " mixtures of mixtures", "sdri",
                        (ch, tr, log) -> b.train(ch, tr, seed, log));
            }
            case "clap" -> {
                ClapConfig clap = ConfigBinder.bind(config, "model.clap", ClapConfig.class);
                ClapTask c = new ClapTask(clap, ConfigBinder.bind(config, "clap", ClapTask.Settings.class),
                        ClapTask.clips(ConfigBinder.bind(config, "data", DataConfig.class).library(), clap.sampleRate(),
                                clap.samples()), ts);
                return job(task, c.parameterCount(seed), "clap: %.3f M parameters, " + steps + " captioned clips", "r_at_1",
                        (ch, tr, log) -> c.train(ch, tr, seed, log));
            }
            case "sslam_pretrain" -> {
                PretrainTask p = new PretrainTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "pretrain", PretrainTask.Settings.class), scenes(config), ts, seed);
                return job(task, p.parameterCount(), "sslam pre-training: %.3f M parameters (student and decoder), " + steps
                        + " clips", "loss", (c, tr, log) -> p.train(c, tr, seed, log));
            }
            case "sslam_linear" -> {
                LinearProbeTask p = new LinearProbeTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "probe", LinearProbeTask.Settings.class), scenes(config), ts);
                return job(task, p.parameterCount(seed), "sslam linear evaluation: %.3f M parameters (the head trains), " + steps
                        + " clip features", "map", (c, tr, log) -> p.train(c, tr, seed, log));
            }
            case "sslam_finetune" -> {
                FinetuneTask f = new FinetuneTask(ConfigBinder.bind(config, "model.sslam", EatConfig.class),
                        ConfigBinder.bind(config, "finetune", FinetuneTask.Settings.class), scenes(config), ts);
                return job(task, f.parameterCount(seed), "sslam fine-tuning: %.3f M parameters, " + steps + " clips", "map",
                        (c, tr, log) -> f.train(c, tr, seed, log));
            }
            case "tagger" -> {
                TaggerTask tagger = new TaggerTask(ConfigBinder.bind(config, "model.sed", SedConfig.class), scenes(config), ts);
                return job(task, tagger.graph(false, seed).parameterCount(), "tagger: %.3f M parameters, " + steps + " mixtures",
                        "label_accuracy", (c, tr, log) -> tagger.train(c, tr, seed, log));
            }
            default -> {
                SeparatorTask separator = new SeparatorTask(ConfigBinder.bind(config, "model.separator", SeparatorConfig.class),
                        ConfigBinder.bind(config, "model.sed", SedConfig.class), scenes(config), ts);
                return job(task, separator.graph(false, -1, seed).parameterCount(), "separator: %.3f M parameters, " + steps
                        + " mixtures", "ca_sdri", (c, tr, log) -> separator.train(c, tr, seed, log));
            }
        }
    }

    /** The scenes the DCASE and SSLAM tasks train on (the CLAP and BiSep tasks draw clips from the library instead). */
    private static SceneGenerator scenes(Composed config) throws IOException {
        return ConfigBinder.bind(config, "data", DataConfig.class).generator();
    }

    /** Trains {@code job} in the experiment's folder and writes its {@code result.json} (atomically); returns what it holds. */
    public static Map<String, Object> run(Job job, Experiment exp) throws IOException {
        Path checkpoints = exp.folder().dir().resolve("checkpoints");
        long t0 = System.nanoTime();
        exp.info(job.summary());
        Trainer.Result r = job.train(checkpoints, exp.tracker(), exp::info);
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("task", job.task());
        result.put("parameters", job.parameters());
        result.put("monitor", job.monitor());
        result.put("best", r.best());
        result.put("best_step", r.bestStep());
        result.put("last_loss", r.lastLoss());
        result.put("stopped_early", r.stoppedEarly());
        result.put("train_seconds", secs);
        AtomicFiles.writeString(exp.folder().dir().resolve("result.json"), Json.pretty(result));
        return result;
    }

    /**
     * A reproduction's own block: {@code experiment=<experiment>} composed with the user's
     * {@code reproduce.*} overrides (the runs check the other keys), its folder
     * {@code <reproduce.out>/<preset>}, and the other overrides, which go on to its runs.
     */
    public record Reproduction(Composed config, Path out, List<String> runOverrides) {

        public static Reproduction of(Function<List<String>, Composed> compose, String experiment,
                List<String> user, String preset) {
            List<String> all = new ArrayList<>(List.of("experiment=" + experiment));
            user.stream().filter(o -> o.strip().startsWith("reproduce.")).forEach(all::add);
            Composed c = compose.apply(all);
            Path out = Path.of(String.valueOf(((Map<?, ?>) c.get("reproduce")).get("out"))).resolve(preset);
            return new Reproduction(c, out, user.stream().filter(o -> !o.strip().startsWith("reproduce.")).toList());
        }
    }

    /**
     * The run {@code config} describes, trained once: a folder that already holds its {@code result.json}
     * is read back without building the task (building may draw data); otherwise the task is built
     * before the folder is opened, so a bad value is named first, then trained (an interrupted run resumes).
     *
     * @param folder the run folder {@code config} resolves to (run.root/experiment/run.name)
     * @param tags   provenance tags of the experiment (e.g. reproduce: sslam)
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> runOnce(Composed config, Path folder, Map<String, Object> tags, java.io.PrintStream console)
            throws IOException {
        boolean finished = java.nio.file.Files.isRegularFile(folder.resolve("result.json"));
        Job job = finished ? null : job(config);
        try (Experiment exp = Experiment.open(config, tags, console, System.getenv())) {
            Path done = exp.folder().dir().resolve("result.json");
            if (finished) {
                exp.info(folder.getFileName() + ": reusing " + done);
                exp.succeeded();
                return (Map<String, Object>) Json.parse(java.nio.file.Files.readString(done));
            }
            Map<String, Object> r = run(job, exp);
            exp.succeeded();
            return r;
        }
    }

    private interface Training {
        Trainer.Result train(Path checkpoints, Tracker tracker, Consumer<String> log) throws IOException;
    }

    private static Job job(String task, long parameters, String summary, String monitor, Training training) {
        return new Job() {
            public String task() {
                return task;
            }

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
}

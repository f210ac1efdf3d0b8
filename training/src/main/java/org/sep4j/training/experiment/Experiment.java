package org.sep4j.training.experiment;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.Yaml;
import org.sep4j.core.track.LocalTracker;
import org.sep4j.core.track.RunInfo;
import org.sep4j.core.track.Tracker;
import org.sep4j.core.track.Trackers;
import org.sep4j.core.track.WandbSettings;
import org.sep4j.core.track.WandbTracker;

/**
 * An open run: its folder, its trackers and its log. {@link #info} goes to the console and
 * {@code run.log}; {@link #debug} only to {@code run.log}.
 *
 * <pre>{@code
 * try (Experiment exp = Experiment.open(config, Map.of("sep4j", version), System.err, env)) {
 *     for (...) exp.tracker().log(step, metrics);
 *     exp.succeeded();
 * }
 * }</pre>
 */
public final class Experiment implements AutoCloseable {

    private final RunFolder folder;
    private final Tracker tracker;
    private final BufferedWriter log;
    private final PrintStream console;
    private Tracker.Status status = Tracker.Status.FAILED;

    private Experiment(RunFolder folder, Tracker tracker, BufferedWriter log, PrintStream console) {
        this.folder = folder;
        this.tracker = tracker;
        this.log = log;
        this.console = console;
    }

    /**
     * Validates the run and tracking blocks, creates the run folder and starts the trackers.
     *
     * @param env environment variables (WANDB_API_KEY)
     */
    public static Experiment open(Composed config, Map<String, Object> provenance, PrintStream console,
            Map<String, String> env) throws IOException {
        RunSettings run = ConfigBinder.bind(config, "run", RunSettings.class);
        TrackingSettings tracking = ConfigBinder.bind(config, "tracking", TrackingSettings.class);
        WandbSettings wandb = null;
        if (WandbSettings.Mode.parse(tracking.wandb().mode()) != WandbSettings.Mode.DISABLED) {
            try {
                wandb = tracking.wandb().settings(env.get("WANDB_API_KEY"));
            } catch (IllegalArgumentException e) {
                throw new org.sep4j.core.config.ConfigError("tracking.wandb: " + e.getMessage());
            }
        }
        RunFolder folder = RunFolder.create(config, run, provenance);
        BufferedWriter log = Files.newBufferedWriter(folder.dir().resolve("run.log"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<Tracker> trackers = new ArrayList<>();
        if (tracking.local()) {
            trackers.add(new LocalTracker());
        }
        if (wandb != null) {
            trackers.add(new WandbTracker(wandb));
        }
        Tracker t = new Trackers(trackers);
        String id = folder.dir().getFileName().toString();
        t.start(new RunInfo(id, id, folder.experiment(), folder.dir()), config.tree());
        Experiment e = new Experiment(folder, t, log, console);
        e.info((folder.resumed() ? "resuming run in " : "run folder ") + folder.dir());
        e.debug("resolved config:\n" + Yaml.dump(config.tree()));
        return e;
    }

    public RunFolder folder() {
        return folder;
    }

    public Tracker tracker() {
        return tracker;
    }

    /** A line for the person watching and for run.log. */
    public synchronized void info(String message) {
        console.println(message);
        write("INFO", message);
    }

    /** A line for run.log only. */
    public synchronized void debug(String message) {
        write("DEBUG", message);
    }

    private void write(String level, String message) {
        try {
            log.write(LocalTime.now().withNano(0) + " " + level + " " + message);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            console.println("warning: cannot write run.log: " + e.getMessage());
        }
    }

    /** Marks the run as finished successfully (otherwise close() records a failure). */
    public void succeeded() {
        status = Tracker.Status.FINISHED;
    }

    @Override
    public void close() {
        tracker.finish(status);
        tracker.close();
        info("run " + status.name().toLowerCase(java.util.Locale.ROOT) + ": " + folder.dir());
        try {
            log.close();
        } catch (IOException e) {
            console.println("warning: cannot close run.log: " + e.getMessage());
        }
    }
}

package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.config.Yaml;
import org.sep4j.core.track.WandbSettings;
import org.sep4j.core.track.WandbTracker;
import org.sep4j.training.experiment.TrackingSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sep4j wandb sync RUN_DIR}: upload a run that was tracked offline or lost its connection. */
@Command(name = "wandb", mixinStandardHelpOptions = true, description = "Weights & Biases utilities.",
        subcommands = {WandbCommand.Sync.class})
final class WandbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = {"Upload a run folder's W&B offline log (config, history, summary, files).",
                "Server, project and entity come from the run's config.yaml (tracking.wandb);",
                "the API key from WANDB_API_KEY."})
    static final class Sync implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "RUN_DIR", description = "The run folder (it holds config.yaml and wandb/).")
        Path runDir;

        /** Environment lookup (tests substitute their own). */
        java.util.function.Function<String, String> env = System::getenv;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Path cfg = runDir.resolve("config.yaml");
            if (!Files.isRegularFile(cfg)) {
                throw new CommandLine.ParameterException(spec.commandLine(), runDir + " is not a run folder (no config.yaml)");
            }
            WandbSettings settings;
            try {
                Object block = Yaml.load(Files.readString(cfg), cfg.toString()).get("tracking");
                TrackingSettings t = ConfigBinder.bind(block instanceof java.util.Map<?, ?> m
                        ? (java.util.Map<String, Object>) m : java.util.Map.of(), "tracking", TrackingSettings.class,
                        java.util.Map.of());
                settings = t.wandb().settings(env.apply("WANDB_API_KEY")).withMode(WandbSettings.Mode.ONLINE);
            } catch (ConfigError | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), cfg + ": " + e.getMessage());
            }
            long rows = WandbTracker.sync(runDir, settings);
            out.println("uploaded " + runDir + " (" + rows + " history rows) to " + settings.baseUrl());
            out.flush();
            return 0;
        }
    }
}

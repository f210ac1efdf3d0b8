package org.sep4j.training.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigComposer;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.config.Sweep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sep4j config ...}: look at composed configurations without running anything. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Inspect the YAML configuration a run would use.",
        subcommands = {ConfigCommand.Show.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every config-composing command shares. */
    static final class Composition {
        @Option(names = "--config-dir", paramLabel = "DIR",
                description = "A folder of YAML configs searched before the packaged configs/.")
        Path configDir;

        @Option(names = "--config-name", paramLabel = "NAME", defaultValue = "config",
                description = "The primary config file (default: ${DEFAULT-VALUE}.yaml).")
        String configName;

        @Parameters(paramLabel = "OVERRIDE", arity = "0..*",
                description = "group=option, key=value, +key=value, ++key=value, ~key")
        List<String> overrides = new ArrayList<>();

        Composed compose(List<String> with) {
            return ConfigComposer.standard(configDir).compose(configName, with);
        }

        /**
         * The command's own {@code key=value} arguments (checkpoint=, set=, ...) by key; every other
         * argument is a config override and goes to {@code rest}.
         */
        java.util.Map<String, String> take(List<String> keys, List<String> rest) {
            java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
            for (String a : overrides) {
                int eq = a.indexOf('=');
                if (eq > 0 && keys.contains(a.substring(0, eq))) {
                    found.put(a.substring(0, eq), a.substring(eq + 1));
                } else {
                    rest.add(a);
                }
            }
            return found;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Print the composed, resolved config as YAML.", "",
                "Examples:", "  sep4j config show experiment=example seed=3",
                "  sep4j config show --explain tracking.wandb", "  sep4j config show -m seed=1,2 run.name=a,b"})
    static final class Show implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Composition composition = new Composition();

        @Option(names = "--explain", paramLabel = "KEY", description = "Show which file or override set KEY (and its children).")
        String explain;

        @Option(names = {"-m", "--multirun"}, description = "Expand sweeps (a=1,2 b=range(0,3)) and list the runs.")
        boolean multirun;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                if (multirun) {
                    List<List<String>> runs = Sweep.expand(composition.overrides);
                    for (int i = 0; i < runs.size(); i++) {
                        composition.compose(runs.get(i)); // validate every combination before reporting
                        out.println("#" + i + ": " + String.join(" ", runs.get(i)));
                    }
                    out.println(runs.size() + " run(s)");
                } else {
                    Composed c = composition.compose(composition.overrides);
                    out.print(explain != null ? c.explain(explain) : c.yaml());
                }
            } catch (ConfigError e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            out.flush();
            return 0;
        }
    }
}

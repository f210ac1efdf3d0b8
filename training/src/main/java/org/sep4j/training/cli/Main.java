package org.sep4j.training.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sep4j <command>}: the entry point of the command line.
 *
 * <p>Commands appear here once they work; later issues add {@code generate}, {@code train},
 * {@code reproduce} and {@code bench}. Exit codes: 0 ok, 1 run failed, 2 usage or config error.
 */
@Command(name = "sep4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Audio source separation research on the JVM: models, metrics, data and benchmarks.",
        subcommands = {DoctorCommand.class, ConfigCommand.class, GenerateCommand.class, TrainCommand.class, EvalCommand.class, ReproduceCommand.class, ExportCommand.class, SeparateCommand.class, TagCommand.class,
            WandbCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Run './sep4j test' to run the test suite, './sep4j bench' for the JMH benchmarks.",
                "Docs: README.md in the repository root."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // No command: show what there is rather than failing silently.
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line (tests drive it in-process). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        // Descriptions are written as lines of up to ~110 characters; at picocli's default 80 columns
        // they would be broken again mid-line.
        cli.setUsageHelpWidth(120);
        // One actionable line instead of a stack trace: config problems are usage errors (2), the
        // rest failed runs (1). SEP4J_DEBUG=1 shows the trace.
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean config = ex instanceof org.sep4j.core.config.ConfigError;
            line.getErr().println("sep4j: " + (config ? "config error: " : "") + ex.getMessage());
            if (System.getenv("SEP4J_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return config ? 2 : 1;
        });
        // A usage or config error: the one-line message, picocli's suggestions for a misspelt option
        // or command, and where the help is, not the whole usage text (exit 2).
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine at = ex.getCommandLine();
            java.io.PrintWriter err = at.getErr();
            err.println("sep4j: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("see '" + at.getCommandSpec().qualifiedName() + " --help'");
            err.flush();
            return 2;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@code --version}: sep4j and the engines it was built against, without loading native code. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "sep4j " + Versions.sep4j(),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "ND4J " + Versions.nd4j(),
                "ONNX Runtime " + Versions.onnxRuntime(),
            };
        }
    }
}

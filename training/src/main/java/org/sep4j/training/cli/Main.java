package org.sep4j.training.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sep4j <command>}: the entry point of the command line.
 *
 * <p>Commands appear here once they work; later issues add {@code config}, {@code generate},
 * {@code train}, {@code eval}, {@code reproduce} and {@code bench}.
 */
@Command(name = "sep4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Audio source separation research on the JVM: models, metrics, data and benchmarks.",
        subcommands = {DoctorCommand.class, EvalCommand.class, CommandLine.HelpCommand.class},
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
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
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

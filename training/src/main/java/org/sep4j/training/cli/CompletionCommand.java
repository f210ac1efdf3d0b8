package org.sep4j.training.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sep4j completion}: a bash completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh, with bashcompinit) completion script for sep4j.", "",
            "Examples:", "  source <(./sep4j completion)", "  ./sep4j completion > ~/.local/share/bash-completion/completions/sep4j"})
final class CompletionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("sep4j", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}

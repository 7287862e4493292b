package dev.batchscope.cli.dev;

import dev.batchscope.cli.load.LoadCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Tools for the people who build batchscope, kept apart from the commands that run experiments. */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Tools for developing batchscope: put the local stack under load, look at its lag and memory.",
        subcommands = {LoadCommand.class, ProbeCommand.class})
public class DevCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

package dev.batchscope.cli.sweep;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Submit, validate, list, show, watch and cancel batch-size sweeps.",
        subcommands = {SweepSubmitCommand.class, SweepValidateCommand.class, SweepListCommand.class,
                SweepShowCommand.class, SweepWatchCommand.class, SweepCancelCommand.class})
public class SweepCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

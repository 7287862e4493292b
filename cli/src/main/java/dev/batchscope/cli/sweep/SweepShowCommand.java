package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a sweep: each run's state, attempt, trainer, effective batch size and learning rate.")
public class SweepShowCommand extends SweepSubcommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The sweep id (sw-...).")
    String sweepId;

    @Override
    public Integer call() {
        JsonNode sweep = scheduler().sweep(requireSweepId(sweepId));
        if (global().json()) {
            printJson(sweep);
        } else {
            out().println(SweepText.header(sweep));
            out().println(SweepText.runsTable(sweep));
            out().flush();
        }
        return ExitCodes.OK;
    }
}

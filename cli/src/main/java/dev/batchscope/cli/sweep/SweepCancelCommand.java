package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a sweep: running runs stop within an iteration, queued runs never start.")
public class SweepCancelCommand extends SweepSubcommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The sweep id (sw-...).")
    String sweepId;

    @Override
    public Integer call() {
        JsonNode answer = scheduler().cancel(requireSweepId(sweepId));
        if (global().json()) {
            printJson(answer);
        } else {
            int cancelled = answer.path("cancelledRuns").asInt();
            out().println(cancelled == 0 ? "sweep " + sweepId + " had no unfinished runs; nothing to cancel"
                    : "cancelled " + cancelled + (cancelled == 1 ? " run" : " runs") + " of sweep " + sweepId);
            out().println(SweepText.header(answer.path("sweep")));
            out().flush();
        }
        return ExitCodes.OK;
    }
}

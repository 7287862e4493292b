package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a sweep: each run's state, attempt, trainer, effective batch size and learning rate, and"
                + " what each run's gradient noise scale B_simple predicts for the critical batch size.")
public class SweepShowCommand extends SweepSubcommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The sweep id (sw-...).")
    String sweepId;

    @Override
    public Integer call() {
        String id = requireSweepId(sweepId);
        JsonNode sweep = scheduler().sweep(id);
        if (global().json()) {
            printJson(sweep);
        } else {
            out().println(SweepText.header(sweep));
            out().println(SweepText.runsTable(sweep));
            // the prediction needs the metrics-service; without it the sweep is shown as the scheduler knows it
            metrics().summaryIfAvailable(id)
                    .ifPresent(summary -> NoiseScalePrediction.lines(sweep, summary).forEach(out()::println));
            out().flush();
        }
        return ExitCodes.OK;
    }
}

package dev.batchscope.cli.sweep;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a sweep live until every run has ended: per run a progress bar (iterations of its budget), "
                + "epoch, loss, EMA loss, gradient noise scale, samples/s and state.",
                "Exit 0 when every run succeeded, 1 when any failed or was cancelled."})
public class SweepWatchCommand extends SweepSubcommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The sweep id (sw-...).")
    String sweepId;

    @ArgGroup(exclusive = false)
    WatchOptions options = new WatchOptions();

    @Override
    public Integer call() {
        String id = requireSweepId(sweepId);
        return new SweepWatcher(scheduler(), metrics(), out(), err(), global().json(), options).watch(id);
    }
}

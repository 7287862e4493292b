package dev.batchscope.cli.demo;

import dev.batchscope.cli.client.SchedulerClient;

import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Cancels the unfinished sweeps of a command (demo, load) when it is interrupted (Ctrl-C): the stack runs on in its own
 * session, and without this its trainers would go on training runs nobody watches.
 */
public final class CancelOnInterrupt extends Thread {
    private final SchedulerClient scheduler;
    private final Set<String> unfinished;
    private final PrintWriter err;

    public CancelOnInterrupt(SchedulerClient scheduler, Set<String> sweepIds, PrintWriter err) {
        super("cancel-demo-sweeps");
        this.scheduler = scheduler;
        this.unfinished = java.util.Collections.synchronizedSet(new LinkedHashSet<>(sweepIds));
        this.err = err;
    }

    /** A sweep submitted after the hook was registered: cancelled too if the command is interrupted. */
    public void submitted(String sweepId) {
        unfinished.add(sweepId);
    }

    public void finished(String sweepId) {
        unfinished.remove(sweepId);
    }

    @Override
    public void run() {
        for (String sweepId : Set.copyOf(unfinished)) {
            try {
                scheduler.cancel(sweepId);
                err.println("\ncancelled sweep " + sweepId + "; the stack is still up (`batchscope down` stops it)");
            } catch (RuntimeException e) {
                err.println("\ncould not cancel sweep " + sweepId + ": " + e.getMessage());
            }
        }
        err.flush();
    }
}

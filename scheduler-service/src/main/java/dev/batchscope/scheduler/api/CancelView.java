package dev.batchscope.scheduler.api;

/** The answer to DELETE: how many runs were told to stop, and the sweep afterwards. */
public record CancelView(String sweepId, int cancelledRuns, SweepView sweep) {
}

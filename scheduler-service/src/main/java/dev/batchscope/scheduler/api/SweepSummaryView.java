package dev.batchscope.scheduler.api;

import dev.batchscope.events.spec.RunState;

import java.time.Instant;
import java.util.Map;

/** A sweep in a list: its state and how many runs are in each state. */
public record SweepSummaryView(String sweepId, String name, Instant createdAt, RunState state, int runCount,
                               Map<RunState, Integer> counts) {
}

package dev.batchscope.scheduler.api;

import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.RunState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A sweep with its runs (GET /api/v1/sweeps/{id}, and the answer to POST). */
public record SweepView(String sweepId, String name, Instant createdAt, RunState state, int runCount,
                        Map<RunState, Integer> counts, String idempotencyKey, List<RunView> runs, Protocol protocol,
                        PruningSpec pruning) {
}

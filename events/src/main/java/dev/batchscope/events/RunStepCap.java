package dev.batchscope.events;

import java.time.Instant;

/**
 * The scheduler caps a run's steps (pruning, docs/design.md#7-the-batch-size-study): a run that reaches
 * {@code maxIterations} without having reached its target stops there with outcome PRUNED. A lower cap for the same
 * run replaces a higher one; trainers keep caps like cancellations, so a run that has not started yet gets it too.
 *
 * @param maxIterations the last iteration the run may train
 * @param reason        human text: which run set the best steps-to-target, and the margin
 */
public record RunStepCap(Integer schemaVersion, String runId, String sweepId, Instant emittedAt, Long maxIterations,
                         String reason) implements Event {

    public static RunStepCap of(String runId, String sweepId, long maxIterations, String reason) {
        return new RunStepCap(SCHEMA_VERSION, runId, sweepId, Instant.now(), maxIterations, reason);
    }
}

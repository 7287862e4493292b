package dev.batchscope.scheduler.api;

import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;

import java.time.Instant;

/**
 * One run of a sweep.
 *
 * @param batchSize             as requested: a number or "full"
 * @param attempt               0 while queued, then 1, +1 for each resume
 * @param effectiveBatchSize    examples per step once a trainer knows the dataset
 * @param effectiveLearningRate the peak learning rate after batch-size scaling
 * @param reason                human text: why the run ended as it did
 * @param updatedAt             when its current state was emitted
 * @param outcome               why the run ended (terminal runs; null on statuses written before outcomes existed)
 * @param reachedTargetAt       the iteration at which its smoothed loss first reached the target, if it did
 */
public record RunView(String runId, int index, BatchSize batchSize, Long seed, RunState state, Integer attempt,
                      String trainerId, Integer effectiveBatchSize, Double effectiveLearningRate, String reason,
                      Instant updatedAt, RunSpec spec, RunOutcome outcome, Long reachedTargetAt) {
}

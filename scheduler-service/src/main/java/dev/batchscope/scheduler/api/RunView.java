package dev.batchscope.scheduler.api;

import dev.batchscope.events.spec.BatchSize;
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
 * @param reason                why the run failed or was cancelled
 * @param updatedAt             when its current state was emitted
 */
public record RunView(String runId, int index, BatchSize batchSize, Long seed, RunState state, Integer attempt,
                      String trainerId, Integer effectiveBatchSize, Double effectiveLearningRate, String reason,
                      Instant updatedAt, RunSpec spec) {
}

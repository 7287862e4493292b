package dev.batchscope.events;

import java.time.Instant;

/**
 * A validation pass, at the end of an epoch or at the run's validation cadence.
 *
 * @param trainLoss   mean training loss since the previous validation
 * @param valAccuracy null for regression
 */
public record EpochMetrics(Integer schemaVersion, String runId, String sweepId, Instant emittedAt,
                           Integer attempt, Integer epoch, Long iteration, Long samplesSeen,
                           Double trainLoss, Double valLoss, Double valAccuracy, Long elapsedMs) implements Event {
}

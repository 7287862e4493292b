package dev.batchscope.events;

import java.time.Instant;

/**
 * One optimizer step of a run. Iterations count from 1 within a run and stay the same across resumes;
 * (runId, attempt, iteration) identifies a point, which makes consumers idempotent.
 *
 * @param loss  the mini-batch training loss before the update
 * @param noise present on measuring iterations
 */
public record IterationMetrics(Integer schemaVersion, String runId, String sweepId, Instant emittedAt,
                               Integer attempt, Long iteration, Integer epoch, Long samplesSeen, Double loss,
                               Double gradNorm, Double learningRate, Long elapsedMs, Double samplesPerSecond,
                               NoiseMeasurement noise) implements Event {
}

package dev.batchscope.metrics.live;

import java.util.List;

/**
 * One server-sent event of {@code /api/v1/sweeps/{id}/stream}: the points that arrived for the sweep's runs since
 * the previous one ({@code type} "points"), or a heartbeat. Each point carries all three x coordinates, so a page can
 * switch its axis without asking again.
 */
public record SweepUpdate(String type, String sweepId, List<RunUpdate> runs) {
    public static SweepUpdate heartbeat(String sweepId) {
        return new SweepUpdate("heartbeat", sweepId, List.of());
    }

    /**
     * @param reset       the run resumed (or its metrics were rebuilt): points already drawn may be gone, fetch again
     * @param iterations  [step, samples, seconds, loss, lossEma, samplesPerSecond]
     * @param noise       [step, samples, seconds, gradientVariance, noiseScale]
     * @param validations [step, samples, seconds, valLoss, valAccuracy]
     */
    public record RunUpdate(String runId, Integer batchSize, Long seed, String state, boolean reset,
                            List<Double[]> iterations, List<Double[]> noise, List<Double[]> validations) {
    }
}

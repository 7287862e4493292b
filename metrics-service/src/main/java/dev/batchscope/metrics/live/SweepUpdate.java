package dev.batchscope.metrics.live;

import java.util.List;

/**
 * One server-sent event of {@code /api/v1/sweeps/{id}/stream}: the points that arrived for the sweep's runs since
 * the previous one ({@code type} "points"), or a heartbeat. Each point carries all three x coordinates, so a page can
 * switch its axis without asking again, and names its values (docs/design.md#9-http). A value that is not a finite
 * number is null.
 */
public record SweepUpdate(String type, String sweepId, List<RunUpdate> runs) {
    public static SweepUpdate heartbeat(String sweepId) {
        return new SweepUpdate("heartbeat", sweepId, List.of());
    }

    /** @param reset the run resumed (or its metrics were rebuilt): points already drawn may be gone, fetch again */
    public record RunUpdate(String runId, Integer batchSize, Long seed, String state, boolean reset,
                            List<IterationPoint> iterations, List<NoisePoint> noise,
                            List<ValidationPoint> validations) {
    }

    /** One training iteration: its mini-batch loss, the loss's EMA and the throughput. */
    public record IterationPoint(long step, long samples, double seconds, Double loss, Double lossEma,
                                 Double samplesPerSecond) {
    }

    /** One noise measurement: the gradient variance and the smoothed noise scale B_simple. */
    public record NoisePoint(long step, long samples, double seconds, Double gradientVariance, Double noiseScale) {
    }

    /** One validation at the end of an epoch. */
    public record ValidationPoint(long step, long samples, double seconds, Double valLoss, Double valAccuracy) {
    }
}

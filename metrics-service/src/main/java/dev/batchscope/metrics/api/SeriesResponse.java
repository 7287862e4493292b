package dev.batchscope.metrics.api;

import java.util.List;

/**
 * {@code GET /api/v1/sweeps/{id}/series}: one series per run.
 *
 * @param points [x, y] pairs in x order
 */
public record SeriesResponse(String sweepId, String metric, String x, List<RunSeries> series) {

    public record RunSeries(String runId, Integer batchSize, Long seed, Double learningRate, String state,
                            double[][] points) {
    }
}

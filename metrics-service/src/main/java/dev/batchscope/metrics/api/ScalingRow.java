package dev.batchscope.metrics.api;

/**
 * One row of {@code GET /api/v1/scaling}: steps and samples to the target loss against the batch size, measured (one
 * row per batch size, means over seeds) and fitted (the curves S = S_min (1 + B_crit / B) and E = E_min (1 + B /
 * B_crit) on a log-spaced grid of batch sizes).
 *
 * @param series    the legend: {@code measured} or {@code fit}, prefixed with the sweep's name when several sweeps
 *                  were asked for
 * @param kind      {@code measured} or {@code fit}
 * @param batchSize examples per step
 */
public record ScalingRow(String sweep, String sweepName, String series, String kind, double batchSize,
                         double steps, double samples) {
    public static final String MEASURED = "measured";
    public static final String FIT = "fit";
}

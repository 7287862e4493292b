package dev.batchscope.metrics.api;

/**
 * One point of {@code GET /api/v1/points}: a flat row, so a table-reading chart tool (Grafana's Infinity datasource)
 * needs no parsing beyond naming the columns.
 *
 * @param series             the legend: {@code B=16 lr=0.1}, prefixed with the sweep's name when several sweeps
 *                           were asked for; {@code target 0.5} for the target line
 * @param kind               {@code run} (the mean over the seeds of one batch size and learning rate) or {@code
 *                           target}
 * @param batchSize          as the spec asked for it: a number or {@code full}; null on the target line
 * @param effectiveBatchSize examples per step
 * @param learningRate       the runs' peak learning rate
 * @param runs               how many runs (seeds) the point is the mean of
 */
public record PointRow(String sweep, String sweepName, String series, String kind, String batchSize,
                       Integer effectiveBatchSize, Double learningRate, int runs, double x, double y) {
    public static final String RUN = "run";
    public static final String TARGET = "target";
}

package dev.batchscope.metrics.api;

/**
 * One row of {@code GET /api/v1/critical-batch-size}, one per sweep: the fitted B_crit with its bootstrap interval
 * beside B_simple at the target and their ratio, and how the best learning rate scales (the summary's
 * {@code criticalBatchSize}, {@code noiseScaleAtTarget}, {@code criticalToNoiseRatio} and {@code lrScaling},
 * docs/design.md section 7). Every number is null while it is not known.
 *
 * @param series               the sweep's name (its id where names repeat)
 * @param criticalBatchSize    the fitted B_crit
 * @param low                  2.5th percentile of its bootstrap
 * @param high                 97.5th percentile
 * @param method               bootstrap-seeds, bootstrap-residuals or fit (no interval)
 * @param noiseScaleAtTarget   B_simple at the target loss
 * @param criticalToNoiseRatio B_crit / B_simple at the target
 * @param lrExponent           k of lr* ∝ B^k (tuned sweeps)
 * @param lrShape              linear, square root or saturates (tuned sweeps)
 */
public record CriticalBatchSizeRow(String sweep, String sweepName, String series, Double criticalBatchSize,
                                   Double low, Double high, String method, Double noiseScaleAtTarget,
                                   Double criticalToNoiseRatio, Double lrExponent, String lrShape) {
}

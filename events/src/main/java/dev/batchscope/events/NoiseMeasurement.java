package dev.batchscope.events;

/**
 * One gradient-noise measurement (docs/design.md#6-gradient-noise): k micro-batch gradients of size b at the same
 * weights.
 *
 * @param gradVariance       (1/(k-1)) sum_j |g_j - G_B|^2, an estimate of tr(Sigma)/b
 * @param traceSigma         b * gradVariance, the per-example gradient covariance trace
 * @param gradNormSqUnbiased |G_B|^2 - traceSigma/B, an unbiased |G|^2
 * @param noiseScale         traceSigma / gradNormSqUnbiased; null when that denominator is not positive
 */
public record NoiseMeasurement(Integer microBatches, Integer microBatchSize, Double gradVariance, Double traceSigma,
                               Double gradNormSqUnbiased, Double noiseScale) {
}

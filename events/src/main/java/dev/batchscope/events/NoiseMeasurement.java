package dev.batchscope.events;

import dev.batchscope.events.spec.NoiseMethod;

/**
 * One gradient-noise measurement (docs/design.md#6-gradient-noise): k gradients of micro-batches of size b at the
 * same weights, from k backward passes ({@link NoiseMethod#MICRO_BATCHES}) or, with b = 1 and k = B, from the per-example
 * gradient norms of the step's one backward pass ({@link NoiseMethod#PER_EXAMPLE}).
 *
 * @param gradVariance       (1/(k-1)) sum_j |g_j - G_B|^2, an estimate of tr(Sigma)/b
 * @param traceSigma         b * gradVariance, the per-example gradient covariance trace
 * @param gradNormSqUnbiased |G_B|^2 - traceSigma/B, an unbiased |G|^2
 * @param noiseScale         traceSigma / gradNormSqUnbiased; null when that denominator is not positive
 * @param method             how the k gradients were obtained; a record without it (written before the field existed)
 *                           reads as {@link NoiseMethod#MICRO_BATCHES}
 */
public record NoiseMeasurement(Integer microBatches, Integer microBatchSize, Double gradVariance, Double traceSigma,
                               Double gradNormSqUnbiased, Double noiseScale, NoiseMethod method) {
    public NoiseMeasurement {
        method = method == null ? NoiseMethod.MICRO_BATCHES : method;
    }

    /** A micro-batch measurement, the only kind before {@code method} existed. */
    public NoiseMeasurement(Integer microBatches, Integer microBatchSize, Double gradVariance, Double traceSigma,
                            Double gradNormSqUnbiased, Double noiseScale) {
        this(microBatches, microBatchSize, gradVariance, traceSigma, gradNormSqUnbiased, noiseScale, NoiseMethod.MICRO_BATCHES);
    }
}

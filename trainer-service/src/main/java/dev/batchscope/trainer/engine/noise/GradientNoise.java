package dev.batchscope.trainer.engine.noise;

import dev.batchscope.events.NoiseMeasurement;

/**
 * The gradient-noise estimator of docs/design.md#6-gradient-noise, from k micro-batch gradients at the same weights.
 *
 * <p>With micro-batches of sizes b_j (summing to B) and G_B = sum_j (b_j/B) g_j, the statistic
 * sum_j b_j |g_j - G_B|^2 has expectation (k-1) tr(Sigma) for any sizes, so
 * traceSigma = sum_j b_j |g_j - G_B|^2 / (k-1). With equal sizes b = B/k this is b times
 * gradVariance = (1/(k-1)) sum_j |g_j - G_B|^2, exactly the design's formulas; unequal sizes (B not a multiple
 * of k) differ by at most one example and stay unbiased. E|G_B|^2 = |G|^2 + tr(Sigma)/B gives the unbiased
 * |G|^2, and their ratio is B_simple (McCandlish et al. 2018).
 */
public final class GradientNoise {
    private GradientNoise() {
    }

    /**
     * @param sizes           b_j, the micro-batch sizes
     * @param squaredDistances |g_j - G_B|^2 for each micro-batch
     * @param batchGradNormSq  |G_B|^2
     */
    public static NoiseMeasurement estimate(int[] sizes, double[] squaredDistances, double batchGradNormSq) {
        int k = sizes.length;
        if (k < 2 || squaredDistances.length != k) {
            throw new IllegalArgumentException("need at least 2 micro-batches with one distance each, got " + k);
        }
        long batch = 0;
        double weighted = 0;
        for (int j = 0; j < k; j++) {
            batch += sizes[j];
            weighted += sizes[j] * squaredDistances[j];
        }
        double traceSigma = weighted / (k - 1);
        double meanMicroBatch = (double) batch / k;
        double gradVariance = traceSigma / meanMicroBatch;
        double gradNormSqUnbiased = batchGradNormSq - traceSigma / batch;
        Double noiseScale = gradNormSqUnbiased > 0 ? traceSigma / gradNormSqUnbiased : null;
        return new NoiseMeasurement(k, (int) (batch / k), gradVariance, traceSigma, gradNormSqUnbiased, noiseScale);
    }

    /**
     * The same estimate from running sums, which a trainer can collect without keeping k gradient copies:
     * with S_j = b_j g_j the summed gradient of micro-batch j and S = sum_j S_j = B G_B,
     * sum_j b_j |g_j - G_B|^2 = sum_j |S_j|^2 / b_j - |S|^2 / B.
     *
     * @param sizes                  b_j
     * @param squaredSumNormsOverSize sum_j |S_j|^2 / b_j
     * @param batchSumNormSq         |S|^2
     */
    public static NoiseMeasurement fromGradientSums(int[] sizes, double squaredSumNormsOverSize, double batchSumNormSq) {
        long batch = 0;
        for (int size : sizes) {
            batch += size;
        }
        // rounding can push the difference of two nearly equal sums below zero; the true value is not negative
        double weighted = Math.max(0, squaredSumNormsOverSize - batchSumNormSq / batch);
        double[] equalShares = new double[sizes.length];
        for (int j = 0; j < sizes.length; j++) {
            equalShares[j] = weighted / (sizes.length * (double) sizes[j]);
        }
        return estimate(sizes, equalShares, batchSumNormSq / ((double) batch * batch));
    }

    /** Splits {@code batch} examples into {@code k} contiguous micro-batches whose sizes differ by at most one. */
    public static int[] microBatchSizes(int batch, int k) {
        int[] sizes = new int[k];
        for (int j = 0; j < k; j++) {
            sizes[j] = batch / k + (j < batch % k ? 1 : 0);
        }
        return sizes;
    }
}

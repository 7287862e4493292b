package dev.batchscope.trainer.engine.noise;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.NoiseMethod;

/**
 * The gradient-noise estimator of docs/design.md#6-gradient-noise, from k gradients of micro-batches at the same
 * weights: k extra backward passes ({@link NoiseMethod#MICRO_BATCHES}), or the B per-example gradients of the step's
 * own backward pass, micro-batches of one ({@link NoiseMethod#PER_EXAMPLE}).
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
        return measurement(k, batch, weighted, batchGradNormSq, NoiseMethod.MICRO_BATCHES);
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

    /**
     * The estimate with micro-batches of one example: k = B, b_j = 1, S_j = g_i, so the running-sum form needs only
     * sum_i |g_i|^2 and |S|^2 = |sum_i g_i|^2, both of which one backward pass yields (per-example norms, Goodfellow
     * 2015).
     *
     * @param batch                B, at least 2
     * @param perExampleNormSqSum  sum_i |g_i|^2 over the batch's examples
     * @param batchSumNormSq       |S|^2, the squared norm of the gradient summed over the batch
     */
    public static NoiseMeasurement fromPerExampleNorms(int batch, double perExampleNormSqSum, double batchSumNormSq) {
        if (batch < 2) {
            throw new IllegalArgumentException("per-example noise needs a batch of at least 2, got " + batch);
        }
        double weighted = Math.max(0, perExampleNormSqSum - batchSumNormSq / batch);
        return measurement(batch, batch, weighted, batchSumNormSq / ((double) batch * batch), NoiseMethod.PER_EXAMPLE);
    }

    /**
     * @param weighted sum_j b_j |g_j - G_B|^2 over the k micro-batches of a batch of {@code batch} examples
     */
    private static NoiseMeasurement measurement(int k, long batch, double weighted, double batchGradNormSq, NoiseMethod method) {
        double traceSigma = weighted / (k - 1);
        double meanMicroBatch = (double) batch / k;
        double gradVariance = traceSigma / meanMicroBatch;
        double gradNormSqUnbiased = batchGradNormSq - traceSigma / batch;
        Double noiseScale = gradNormSqUnbiased > 0 ? traceSigma / gradNormSqUnbiased : null;
        return new NoiseMeasurement(k, (int) (batch / k), gradVariance, traceSigma, gradNormSqUnbiased, noiseScale, method);
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

package dev.batchscope.trainer.engine.noise;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.NoiseMethod;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GradientNoiseTest {
    /** Four micro-batches of 8 with gradients (1,0), (3,0), (2,1), (2,-1): G_B = (2,0), distances 1,1,1,1. */
    @Test
    void equalMicroBatchesFollowTheDesignFormulas() {
        NoiseMeasurement n = GradientNoise.estimate(new int[]{8, 8, 8, 8}, new double[]{1, 1, 1, 1}, 4.0);
        assertEquals(4, n.microBatches());
        assertEquals(8, n.microBatchSize());
        assertEquals(4.0 / 3, n.gradVariance(), 1e-12);                 // (1/(k-1)) sum |g_j - G_B|^2
        assertEquals(8 * 4.0 / 3, n.traceSigma(), 1e-12);               // b * gradVariance
        assertEquals(4.0 - (8 * 4.0 / 3) / 32, n.gradNormSqUnbiased(), 1e-12); // |G_B|^2 - tr/B
        assertEquals(n.traceSigma() / n.gradNormSqUnbiased(), n.noiseScale(), 1e-12);
    }

    @Test
    void noiseScaleIsAbsentWhenTheUnbiasedNormIsNotPositive() {
        NoiseMeasurement n = GradientNoise.estimate(new int[]{2, 2}, new double[]{10, 10}, 0.1);
        assertEquals(0.1 - n.traceSigma() / 4, n.gradNormSqUnbiased(), 1e-12);
        assertNull(n.noiseScale());
    }

    @Test
    void unequalMicroBatchesWeighByTheirSize() {
        NoiseMeasurement n = GradientNoise.estimate(new int[]{3, 2}, new double[]{4, 9}, 1.0);
        assertEquals((3 * 4 + 2 * 9) / 1.0, n.traceSigma(), 1e-12);
        assertEquals(n.traceSigma() / 2.5, n.gradVariance(), 1e-12);
    }

    /** The running-sum form used by the trainer gives the same estimate as the distances. */
    @Test
    void gradientSumsGiveTheSameEstimateAsDistances() {
        // micro-batch means (1,0), (3,0), (2,1), (2,-1) of 8 examples each: sums 8x those
        double[][] means = {{1, 0}, {3, 0}, {2, 1}, {2, -1}};
        double sumOverSize = 0;
        double[] total = new double[2];
        for (double[] m : means) {
            sumOverSize += (64 * (m[0] * m[0] + m[1] * m[1])) / 8;
            total[0] += 8 * m[0];
            total[1] += 8 * m[1];
        }
        NoiseMeasurement fromSums = GradientNoise.fromGradientSums(new int[]{8, 8, 8, 8}, sumOverSize,
                total[0] * total[0] + total[1] * total[1]);
        NoiseMeasurement fromDistances = GradientNoise.estimate(new int[]{8, 8, 8, 8}, new double[]{1, 1, 1, 1}, 4.0);
        assertEquals(fromDistances.traceSigma(), fromSums.traceSigma(), 1e-9);
        assertEquals(fromDistances.gradVariance(), fromSums.gradVariance(), 1e-9);
        assertEquals(fromDistances.gradNormSqUnbiased(), fromSums.gradNormSqUnbiased(), 1e-9);
        assertEquals(fromDistances.noiseScale(), fromSums.noiseScale(), 1e-9);
    }

    /** Four examples with gradients (1,0), (3,0), (2,1), (2,-1): micro-batches of one give the same estimate. */
    @Test
    void perExampleNormsGiveTheEstimateOfMicroBatchesOfOne() {
        double[][] gradients = {{1, 0}, {3, 0}, {2, 1}, {2, -1}};
        double normSqSum = 0;
        double[] total = new double[2];
        for (double[] g : gradients) {
            normSqSum += g[0] * g[0] + g[1] * g[1];
            total[0] += g[0];
            total[1] += g[1];
        }
        NoiseMeasurement perExample = GradientNoise.fromPerExampleNorms(4, normSqSum, total[0] * total[0] + total[1] * total[1]);
        NoiseMeasurement ofOnes = GradientNoise.estimate(new int[]{1, 1, 1, 1}, new double[]{1, 1, 1, 1}, 4.0);
        assertEquals(NoiseMethod.PER_EXAMPLE, perExample.method());
        assertEquals(NoiseMethod.MICRO_BATCHES, ofOnes.method());
        assertEquals(4, perExample.microBatches());
        assertEquals(1, perExample.microBatchSize());
        assertEquals(4.0 / 3, perExample.traceSigma(), 1e-12);          // sum_i |g_i - G_B|^2 / (B-1)
        assertEquals(perExample.traceSigma(), perExample.gradVariance(), 1e-12);
        assertEquals(4.0 - (4.0 / 3) / 4, perExample.gradNormSqUnbiased(), 1e-12);
        assertEquals(ofOnes.traceSigma(), perExample.traceSigma(), 1e-12);
        assertEquals(ofOnes.gradNormSqUnbiased(), perExample.gradNormSqUnbiased(), 1e-12);
        assertEquals(ofOnes.noiseScale(), perExample.noiseScale(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> GradientNoise.fromPerExampleNorms(1, 1, 1));
    }

    @Test
    void batchesSplitIntoSizesThatDifferByAtMostOne() {
        assertArrayEquals(new int[]{16, 16, 16, 16}, GradientNoise.microBatchSizes(64, 4));
        assertArrayEquals(new int[]{3, 3, 2}, GradientNoise.microBatchSizes(8, 3));
        assertThrows(IllegalArgumentException.class, () -> GradientNoise.estimate(new int[]{4}, new double[]{1}, 1));
    }
}

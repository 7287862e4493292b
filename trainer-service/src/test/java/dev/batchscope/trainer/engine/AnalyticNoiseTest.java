package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.engine.data.EpochOrder;
import dev.batchscope.trainer.engine.data.SyntheticLinear;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/design.md#6-gradient-noise: for linear regression with x ~ N(0, I_d), y = x.w* + e, e ~ N(0, s^2), at w = 0 the
 * per-example gradient of the squared loss 1/2 (x.w - y)^2 is -x y, so G = -w*, tr(Sigma) = d(|w*|^2 + s^2) + |w*|^2
 * and B_simple = d(1 + s^2/|w*|^2) + 1.
 *
 * <p>Two adjustments for the model the engine trains. DL4J's mse is (y - p)^2 without the 1/2, which doubles every
 * gradient: tr(Sigma) and |G|^2 grow by 4, B_simple does not change. The linear model has a bias, whose gradient
 * at w = 0 is -y with mean 0 and variance |w*|^2 + s^2: it adds one more dimension to tr(Sigma) and nothing to |G|^2.
 * So, with D = d + 1: tr(Sigma) = 4 (D(|w*|^2 + s^2) + |w*|^2), |G|^2 = 4|w*|^2, B_simple = D(1 + s^2/|w*|^2) + 1.
 *
 * <p>Both estimators: k = 4 micro-batches of B/4 (DL4J's path) and the per-example norms of one backward pass
 * (B_small = 1, the dense path), each against the same closed form; the per-example one at a tighter tolerance.
 */
class AnalyticNoiseTest {
    private static final int SAMPLES = 60_000;
    private static final int FEATURES = 8;
    private static final double SIGMA = 1.0;
    private static final int BATCH = 256;
    private static final int MEASUREMENTS = 1000;
    /** Relative tolerance of the micro-batch estimator (k = 4); the per-example one, sharper, must meet a tighter one. */
    private static final double TOLERANCE = 0.05;
    private static final double PER_EXAMPLE_TOLERANCE = 0.03;

    @Test
    void microBatchMeasurementsAtZeroWeightsMatchTheClosedForm() {
        assertClosedForm(EnginePath.DL4J, NoiseMethod.MICRO_BATCHES, BATCH / 4, TOLERANCE);
    }

    @Test
    void perExampleMeasurementsAtZeroWeightsMatchTheClosedForm() {
        assertClosedForm(EnginePath.DENSE, NoiseMethod.PER_EXAMPLE, 1, PER_EXAMPLE_TOLERANCE);
    }

    private static void assertClosedForm(EnginePath path, NoiseMethod method, int microBatchSize, double tolerance) {
        RunSpec spec = Specs.linearRegression(SAMPLES, FEATURES, SIGMA, BATCH, BudgetSpec.steps(1), new NoiseSpec(1, 4));
        SyntheticLinear truth = SyntheticLinear.generate(spec.dataset(), spec.seed());
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        Trainer trainer = Trainer.create(spec, data, path);
        assertEquals(0.0, trainer.parameters().norm2Number().doubleValue(), "zero initialisation");

        double traceSum = 0;
        double normSqSum = 0;
        int batchesPerEpoch = data.trainSize() / BATCH;
        for (int m = 0; m < MEASUREMENTS; m++) {
            int[] order = EpochOrder.permutation(99, m / batchesPerEpoch, data.trainSize());
            int from = (m % batchesPerEpoch) * BATCH;
            int[] rows = Arrays.copyOfRange(order, from, from + BATCH);
            NoiseMeasurement noise = trainer.measureNoise(Nd4j.pullRows(data.trainFeatures(), 1, rows),
                    Nd4j.pullRows(data.trainLabels(), 1, rows));
            assertEquals(method, noise.method());
            assertEquals(microBatchSize, noise.microBatchSize());
            assertEquals(BATCH / microBatchSize, noise.microBatches());
            assertEquals(noise.microBatchSize() * noise.gradVariance(), noise.traceSigma(), 1e-9 * noise.traceSigma());
            traceSum += noise.traceSigma();
            normSqSum += noise.gradNormSqUnbiased();
        }
        assertEquals(0.0, trainer.parameters().norm2Number().doubleValue(), "measuring must not move the weights");

        double w2 = truth.weightNormSquared();
        double s2 = SIGMA * SIGMA;
        int dims = FEATURES + 1;
        double expectedTrace = 4 * (dims * (w2 + s2) + w2);
        double expectedNormSq = 4 * w2;
        double expectedNoiseScale = dims * (1 + s2 / w2) + 1;

        double trace = traceSum / MEASUREMENTS;
        double normSq = normSqSum / MEASUREMENTS;
        System.out.println(method.wire() + ":");
        assertRelative("tr(Sigma)", expectedTrace, trace, tolerance);
        assertRelative("|G|^2", expectedNormSq, normSq, tolerance);
        assertRelative("B_simple", expectedNoiseScale, trace / normSq, tolerance);
    }

    private static void assertRelative(String what, double expected, double actual, double tolerance) {
        double error = Math.abs(actual - expected) / Math.abs(expected);
        System.out.printf("%-9s expected %.4f measured %.4f (%.2f%%)%n", what, expected, actual, 100 * error);
        assertEquals(expected, actual, tolerance * Math.abs(expected),
                what + ": measured " + actual + ", closed form " + expected);
    }
}

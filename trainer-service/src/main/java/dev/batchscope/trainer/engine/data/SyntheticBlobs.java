package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetSpec;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Gaussian blobs for classification: one centre per class drawn from N(0, I_d), each example its class centre
 * plus N(0, noise^2 I_d), the class uniform; all from the run's seed. The last {@code validationFraction}
 * of the examples validate.
 */
final class SyntheticBlobs {
    private static final long DATA_STREAM = 0x0b_10b5_da7aL;

    private SyntheticBlobs() {
    }

    static Dataset generate(DatasetSpec spec, long seed) {
        int n = spec.samples();
        int d = spec.features();
        int classes = spec.classes();
        ArrayBuilders.requireFits("synthetic-blobs", n, d);
        SplittableRandom random = new SplittableRandom(seed ^ DATA_STREAM);
        double[][] centres = new double[classes][d];
        for (double[] centre : centres) {
            for (int c = 0; c < d; c++) {
                centre[c] = random.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            int label = random.nextInt(classes);
            labels[r] = label;
            for (int c = 0; c < d; c++) {
                x[r * d + c] = (float) (centres[label][c] + spec.noise() * random.nextGaussian());
            }
        }
        int held = Holdout.validationRows(n, spec.validationFraction());
        int train = n - held;
        return new Dataset("synthetic-blobs d=" + d + " classes=" + classes,
                ArrayBuilders.matrix(Arrays.copyOfRange(x, 0, train * d), train, d),
                ArrayBuilders.oneHot(Arrays.copyOfRange(labels, 0, train), classes),
                ArrayBuilders.matrix(Arrays.copyOfRange(x, train * d, n * d), held, d),
                ArrayBuilders.oneHot(Arrays.copyOfRange(labels, train, n), classes),
                classes, true, null);
    }
}

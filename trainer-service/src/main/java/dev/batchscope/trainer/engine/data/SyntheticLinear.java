package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetSpec;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Linear regression with a known answer: x ~ N(0, I_d), y = x . w* + e, e ~ N(0, sigma^2), where
 * w* ~ N(0, I_d / d) (so |w*|^2 is about 1) and everything is drawn from the run's seed. The analytic
 * gradient-noise checks of docs/design.md#6-gradient-noise use it: at w = 0 the per-example gradient is -x y.
 *
 * @param weights the true w*
 * @param sigma   the label noise standard deviation
 */
public record SyntheticLinear(double[] weights, double sigma, float[] features, float[] targets, int rows) {
    /** Separates the data stream from the shuffling stream that uses the same seed. */
    private static final long DATA_STREAM = 0x11_73a2_d47aL;

    public static SyntheticLinear generate(DatasetSpec spec, long seed) {
        int n = spec.samples();
        int d = spec.features();
        ArrayBuilders.requireFits("synthetic-linear", n, d);
        SplittableRandom random = new SplittableRandom(seed ^ DATA_STREAM);
        double[] w = new double[d];
        double scale = 1.0 / Math.sqrt(d);
        for (int i = 0; i < d; i++) {
            w[i] = random.nextGaussian() * scale;
        }
        double sigma = spec.noise();
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int r = 0; r < n; r++) {
            double dot = 0;
            for (int c = 0; c < d; c++) {
                float value = (float) random.nextGaussian();
                x[r * d + c] = value;
                dot += value * w[c];
            }
            y[r] = (float) (dot + sigma * random.nextGaussian());
        }
        return new SyntheticLinear(w, sigma, x, y, n);
    }

    public int dimension() {
        return weights.length;
    }

    public double weightNormSquared() {
        double sum = 0;
        for (double v : weights) {
            sum += v * v;
        }
        return sum;
    }

    /** The last {@code validationFraction} of the rows validate; they are i.i.d., so no shuffle is needed. */
    Dataset toDataset(double validationFraction) {
        int d = dimension();
        int held = Holdout.validationRows(rows, validationFraction);
        int train = rows - held;
        float[] trainX = Arrays.copyOfRange(features, 0, train * d);
        float[] trainY = Arrays.copyOfRange(targets, 0, train);
        float[] valX = Arrays.copyOfRange(features, train * d, rows * d);
        float[] valY = Arrays.copyOfRange(targets, train, rows);
        return new Dataset("synthetic-linear d=" + d, ArrayBuilders.matrix(trainX, train, d),
                ArrayBuilders.matrix(trainY, train, 1), ArrayBuilders.matrix(valX, held, d),
                ArrayBuilders.matrix(valY, held, 1), 1, false, null);
    }
}

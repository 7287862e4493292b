package dev.batchscope.trainer.engine.dense;

import java.nio.FloatBuffer;

/**
 * The output layer's activation and the loss, fused into one pass over each example's outputs: the activation, the
 * example's loss and dL/dz (the output layer's delta), as DL4J defines them (NetworkFactory's comment):
 * cross-entropy on softmax (delta p - y; log clipped at 1e-10 like DL4J's LossMCXENT), and
 * mse = sum_o (y_o - p_o)^2 / outputs, mae = sum_o |y_o - p_o| / outputs on softmax or identity outputs.
 * Deltas are per example (the gradient of the summed loss); the mean loss divides by the batch later.
 */
enum OutputLoss {
    SOFTMAX_CROSS_ENTROPY(true),
    SOFTMAX_MSE(true),
    SOFTMAX_MAE(true),
    IDENTITY_MSE(false),
    IDENTITY_MAE(false);

    /** DL4J's LossMCXENT.softmaxClipEps: probabilities below it count as it in the score. */
    private static final double CLIP = 1e-10;

    private final boolean softmax;

    OutputLoss(boolean softmax) {
        this.softmax = softmax;
    }

    /** Null when the dense path has no such combination (cross-entropy on identity outputs): DL4J trains it. */
    static OutputLoss of(boolean classification, dev.batchscope.events.spec.LossFunction loss) {
        return switch (loss) {
            case CROSS_ENTROPY -> classification ? SOFTMAX_CROSS_ENTROPY : null;
            case MSE -> classification ? SOFTMAX_MSE : IDENTITY_MSE;
            case MAE -> classification ? SOFTMAX_MAE : IDENTITY_MAE;
        };
    }

    /**
     * For each of {@code batch} rows: turns the products z (without bias) into the outputs, in place, and writes the
     * delta dL/dz; adds each column of the delta to {@code biasGradient}, and, when {@code deltaNormSq} is not null,
     * each row's |delta|^2 to it.
     *
     * @param scratch at least {@code outputs} doubles
     * @return the loss summed over the rows
     */
    double apply(int batch, int outputs, FloatBuffer z, FloatBuffer bias, FloatBuffer labels, FloatBuffer delta,
                 double[] biasGradient, double[] deltaNormSq, double[] scratch) {
        double lossSum = 0;
        for (int i = 0; i < batch; i++) {
            int row = i * outputs;
            if (softmax) {
                softmaxRow(outputs, z, bias, row, scratch);
            } else {
                for (int j = 0; j < outputs; j++) {
                    z.put(row + j, z.get(row + j) + bias.get(j));
                }
            }
            lossSum += this == SOFTMAX_CROSS_ENTROPY
                    ? crossEntropyRow(outputs, z, labels, delta, row)
                    : regressionRow(outputs, z, labels, delta, row);
            double normSq = 0;
            for (int j = 0; j < outputs; j++) {
                float d = delta.get(row + j);
                biasGradient[j] += d;
                normSq += (double) d * d;
            }
            if (deltaNormSq != null) {
                deltaNormSq[i] = normSq;
            }
        }
        return lossSum;
    }

    private static void softmaxRow(int outputs, FloatBuffer z, FloatBuffer bias, int row, double[] exp) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < outputs; j++) {
            float v = z.get(row + j) + bias.get(j);
            z.put(row + j, v);
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < outputs; j++) {
            exp[j] = Math.exp(z.get(row + j) - max);
            sum += exp[j];
        }
        for (int j = 0; j < outputs; j++) {
            z.put(row + j, (float) (exp[j] / sum));
        }
    }

    private static double crossEntropyRow(int outputs, FloatBuffer p, FloatBuffer labels, FloatBuffer delta, int row) {
        double loss = 0;
        for (int j = 0; j < outputs; j++) {
            float y = labels.get(row + j);
            float pj = p.get(row + j);
            if (y != 0) {
                loss -= y * Math.log(Math.max(pj, CLIP));
            }
            delta.put(row + j, pj - y);
        }
        return loss;
    }

    /** mse or mae on this row; through the softmax Jacobian when the outputs are probabilities. */
    private double regressionRow(int outputs, FloatBuffer p, FloatBuffer labels, FloatBuffer delta, int row) {
        boolean squared = this == SOFTMAX_MSE || this == IDENTITY_MSE;
        double loss = 0;
        double weighted = 0;
        for (int j = 0; j < outputs; j++) {
            float difference = p.get(row + j) - labels.get(row + j);
            loss += squared ? (double) difference * difference : Math.abs((double) difference);
            // DL4J: LossL2 2 (p - y), LossL1 sign(p - y), both then divided by the number of outputs
            float dLda = (squared ? difference * 2f : Math.signum(difference)) / outputs;
            delta.put(row + j, dLda);
            weighted += (double) dLda * p.get(row + j);
        }
        if (softmax) {
            // softmax backprop: dL/dz_j = p_j (dL/dp_j - sum_k dL/dp_k p_k)
            for (int j = 0; j < outputs; j++) {
                delta.put(row + j, (float) (p.get(row + j) * (delta.get(row + j) - weighted)));
            }
        }
        return loss / outputs;
    }
}

package dev.batchscope.trainer.engine.data;

import dev.batchscope.trainer.engine.TrainingException;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Builds DL4J arrays from one Java buffer each: a single copy into native memory, never row by row. */
final class ArrayBuilders {
    /** Largest features matrix a trainer accepts (2^29 floats = 2 GiB); bigger data would not fit a pod. */
    static final long MAX_ELEMENTS = 1L << 29;

    private ArrayBuilders() {
    }

    static INDArray matrix(float[] values, int rows, int columns) {
        return Nd4j.create(values, new long[]{rows, columns}, 'c');
    }

    /** One-hot rows for integer class labels in [0, classes). */
    static INDArray oneHot(int[] labels, int classes) {
        float[] values = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            values[i * classes + labels[i]] = 1f;
        }
        return matrix(values, labels.length, classes);
    }

    /** Refuses data larger than a trainer holds, naming the fields that size it. */
    static void requireFits(String dataset, long rows, long columns) {
        if (rows * columns > MAX_ELEMENTS) {
            throw new TrainingException("dataset.samples x dataset.features = " + rows + " x "
                    + columns + " is more than a trainer holds for " + dataset + " (" + MAX_ELEMENTS + " values)");
        }
    }
}

package dev.batchscope.trainer.engine.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dataset in memory: one row per example, features as a float matrix, labels one-hot for classification
 * or one column per target for regression.
 *
 * @param name          what it is, for messages ("fashion-mnist", "synthetic-linear d=16")
 * @param outputs       number of classes, or number of regression targets
 * @param classification labels are classes
 * @param image         the image layout of a row, or null when rows are plain feature vectors
 */
public record Dataset(String name, INDArray trainFeatures, INDArray trainLabels, INDArray validationFeatures,
                      INDArray validationLabels, int outputs, boolean classification, ImageShape image) {

    public int trainSize() {
        return (int) trainFeatures.rows();
    }

    public int validationSize() {
        return validationFeatures == null ? 0 : (int) validationFeatures.rows();
    }

    public int features() {
        return (int) trainFeatures.columns();
    }

    /** How a flat row of an image dataset is laid out: channels first, then rows, then columns. */
    public record ImageShape(int channels, int height, int width) {
    }
}

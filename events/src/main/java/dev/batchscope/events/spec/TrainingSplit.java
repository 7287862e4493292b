package dev.batchscope.events.spec;

import java.util.OptionalInt;

/**
 * How many examples a run trains on, by the trainer's rules: what the trainer's loaders do with the data, and what the
 * CLI can tell from a spec alone (a dry run, a progress bar) without the data.
 */
public final class TrainingSplit {
    /** Fashion-MNIST's training file; its test file (10,000 images) is the validation split. */
    public static final int FASHION_MNIST_TRAIN_IMAGES = 60_000;

    private TrainingSplit() {
    }

    /**
     * Rows held out for validation from a dataset of {@code rows} examples without a test split: at least one when
     * there is anything to split, none when the fraction is 0.
     */
    public static int heldOut(int rows, double validationFraction) {
        if (validationFraction <= 0 || rows < 2) {
            return 0;
        }
        return Math.max(1, (int) Math.round(rows * validationFraction));
    }

    /**
     * The training split's size when the spec alone tells it: Fashion-MNIST (the first {@code samples} of its 60,000
     * training images) and the synthetic sets ({@code samples} less the held-out share). Empty for csv and cifar-10,
     * whose files decide.
     */
    public static OptionalInt trainExamples(DatasetSpec dataset) {
        if (dataset == null || dataset.name() == null) {
            return OptionalInt.empty();
        }
        return switch (dataset.name()) {
            case FASHION_MNIST -> OptionalInt.of(dataset.samples() == null ? FASHION_MNIST_TRAIN_IMAGES
                    : Math.min(dataset.samples(), FASHION_MNIST_TRAIN_IMAGES));
            case SYNTHETIC_LINEAR, SYNTHETIC_BLOBS -> OptionalInt.of(dataset.samples()
                    - heldOut(dataset.samples(), dataset.validationFraction()));
            case CSV, CIFAR_10 -> OptionalInt.empty();
        };
    }
}

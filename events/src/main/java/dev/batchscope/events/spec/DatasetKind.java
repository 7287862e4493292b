package dev.batchscope.events.spec;

/** The datasets a trainer knows how to load. */
public enum DatasetKind implements WireEnum {
    FASHION_MNIST("fashion-mnist", true, true),
    CIFAR_10("cifar-10", true, true),
    SYNTHETIC_LINEAR("synthetic-linear", false, false),
    SYNTHETIC_BLOBS("synthetic-blobs", true, false),
    CSV("csv", true, false);

    private final String wire;
    private final boolean classification;
    private final boolean images;

    DatasetKind(String wire, boolean classification, boolean images) {
        this.wire = wire;
        this.classification = classification;
        this.images = images;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** Labels are classes (cross-entropy applies); otherwise targets are real numbers. */
    public boolean classification() {
        return classification;
    }

    /** Examples are images, so a convolutional model applies. */
    public boolean images() {
        return images;
    }
}

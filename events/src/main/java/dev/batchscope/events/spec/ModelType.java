package dev.batchscope.events.spec;

public enum ModelType implements WireEnum {
    /** Linear regression (identity output); the model of the analytic noise checks. */
    LINEAR("linear"),
    /** Multinomial logistic regression (softmax output, no hidden layer). */
    LOGREG("logreg"),
    MLP("mlp"),
    /** A small LeNet-style network for images. */
    CNN("cnn");

    private final String wire;

    ModelType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

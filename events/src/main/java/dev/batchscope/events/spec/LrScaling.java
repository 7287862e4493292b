package dev.batchscope.events.spec;

/** How the learning rate follows the batch size, relative to a base batch size. */
public enum LrScaling implements WireEnum {
    NONE("none"),
    LINEAR("linear"),
    SQRT("sqrt");

    private final String wire;

    LrScaling(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The learning rate for {@code batchSize} given {@code base} at {@code baseBatchSize}. */
    public double scale(double base, int baseBatchSize, int batchSize) {
        double ratio = (double) batchSize / baseBatchSize;
        return switch (this) {
            case NONE -> base;
            case LINEAR -> base * ratio;
            case SQRT -> base * Math.sqrt(ratio);
        };
    }
}

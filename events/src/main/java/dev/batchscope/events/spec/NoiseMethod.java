package dev.batchscope.events.spec;

/**
 * How a gradient-noise measurement was taken (docs/design.md#6-gradient-noise). Both feed the same estimator; they
 * differ in the small batch B_small it compares with the whole batch.
 */
public enum NoiseMethod implements WireEnum {
    /**
     * Per-example gradient norms from the one backward pass of the step (dense layers only): B_small = 1, so
     * {@code microBatches} = B and {@code microBatchSize} = 1.
     */
    PER_EXAMPLE("per-example"),
    /** k extra backward passes over k micro-batches of B/k examples at the same weights (any layer, e.g. conv). */
    MICRO_BATCHES("micro-batches");

    private final String wire;

    NoiseMethod(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

package dev.batchscope.events.spec;

/**
 * How a sweep picks learning rates. {@code fixed} is the textbook: one learning rate (scaled by a rule) per batch
 * size. {@code tuned} is the study: several candidate learning rates per batch size, each a run of its own, so that
 * the analysis can compare batch sizes at their best learning rate.
 */
public enum Protocol implements WireEnum {
    FIXED("fixed"),
    TUNED("tuned");

    private final String wire;

    Protocol(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

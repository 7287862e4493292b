package dev.batchscope.events.spec;

/** When the scheduler stops runs that can no longer beat the best steps-to-target of their batch size. */
public enum PruningRule implements WireEnum {
    /** Never: every run trains until its target or its budget. */
    NONE("none"),
    /** Cap the others at margin x the fewest steps any run of the same batch size and seed needed. */
    MARGIN("margin");

    private final String wire;

    PruningRule(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

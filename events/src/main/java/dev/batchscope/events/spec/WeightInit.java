package dev.batchscope.events.spec;

public enum WeightInit implements WireEnum {
    XAVIER("xavier"),
    HE("he"),
    /** All weights zero: the analytic gradient-noise checks start from w = 0. */
    ZEROS("zeros");

    private final String wire;

    WeightInit(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

package dev.batchscope.events.spec;

public enum OptimizerType implements WireEnum {
    SGD("sgd"),
    /** Nesterov momentum. */
    MOMENTUM("momentum"),
    ADAM("adam");

    private final String wire;

    OptimizerType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

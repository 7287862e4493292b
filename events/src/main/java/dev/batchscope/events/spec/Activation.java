package dev.batchscope.events.spec;

public enum Activation implements WireEnum {
    RELU("relu"),
    TANH("tanh"),
    SIGMOID("sigmoid");

    private final String wire;

    Activation(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

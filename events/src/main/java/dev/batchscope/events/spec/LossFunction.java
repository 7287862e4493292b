package dev.batchscope.events.spec;

public enum LossFunction implements WireEnum {
    CROSS_ENTROPY("cross-entropy"),
    MSE("mse"),
    MAE("mae");

    private final String wire;

    LossFunction(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}

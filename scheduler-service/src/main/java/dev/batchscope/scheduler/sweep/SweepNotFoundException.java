package dev.batchscope.scheduler.sweep;

public class SweepNotFoundException extends RuntimeException {
    private final String sweepId;

    public SweepNotFoundException(String sweepId) {
        super("no sweep " + sweepId);
        this.sweepId = sweepId;
    }

    public String sweepId() {
        return sweepId;
    }
}

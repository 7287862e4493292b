package dev.batchscope.metrics.api;

/** No run of the sweep is known to this service. */
public class SweepNotFoundException extends RuntimeException {
    private final String sweepId;

    public SweepNotFoundException(String sweepId) {
        super("no sweep " + sweepId, null, false, false);
        this.sweepId = sweepId;
    }

    public String sweepId() {
        return sweepId;
    }
}

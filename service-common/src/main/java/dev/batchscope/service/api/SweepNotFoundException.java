package dev.batchscope.service.api;

/** The service knows no sweep of this id; each service maps it to a 404 {@link Problem} in its own words. */
public class SweepNotFoundException extends RuntimeException {
    private final String sweepId;

    public SweepNotFoundException(String sweepId) {
        // an expected answer, not a fault: no stack trace to fill
        super("no sweep " + sweepId, null, false, false);
        this.sweepId = sweepId;
    }

    public String sweepId() {
        return sweepId;
    }
}

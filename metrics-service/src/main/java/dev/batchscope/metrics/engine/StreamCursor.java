package dev.batchscope.metrics.engine;

/**
 * Where the live stream left off for one run: the last step pushed of each series, and whether the points already
 * pushed may no longer stand (a resume truncated them, or the run's metrics were rebuilt).
 */
public final class StreamCursor {
    private long iterations = Long.MIN_VALUE;
    private long noise = Long.MIN_VALUE;
    private long validations = Long.MIN_VALUE;
    private boolean reset;

    public long iterations() {
        return iterations;
    }

    public long noise() {
        return noise;
    }

    public long validations() {
        return validations;
    }

    public boolean reset() {
        return reset;
    }

    public void reset(boolean value) {
        reset = value;
    }

    public void moveTo(long iterationStep, long noiseStep, long validationStep) {
        iterations = iterationStep;
        noise = noiseStep;
        validations = validationStep;
    }
}

package dev.batchscope.trainer.engine.model;

import org.nd4j.linalg.schedule.ISchedule;

/**
 * The learning rate of a run: linear warmup from zero to the peak over the first {@code warmupIterations}
 * updates, then the peak. A pure function of the update number, so DL4J's updater computes the same rate
 * as the engine reports, and a resumed run continues the same schedule.
 */
public final class WarmupSchedule implements ISchedule {
    private final double peak;
    private final long warmupIterations;

    public WarmupSchedule(double peak, long warmupIterations) {
        this.peak = peak;
        this.warmupIterations = Math.max(0, warmupIterations);
    }

    /** The rate of the update with 0-based index {@code iteration}: update n+1 of the run. */
    @Override
    public double valueAt(int iteration, int epoch) {
        return rateAt(iteration);
    }

    public double rateAt(long iteration) {
        if (warmupIterations == 0 || iteration + 1 >= warmupIterations) {
            return peak;
        }
        return peak * (iteration + 1) / warmupIterations;
    }

    @Override
    public ISchedule clone() {
        return new WarmupSchedule(peak, warmupIterations);
    }
}

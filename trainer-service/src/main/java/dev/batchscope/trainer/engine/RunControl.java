package dev.batchscope.trainer.engine;

/** Polled before every iteration: a stop request, or null to go on, and the run's step cap. Must be cheap. */
@FunctionalInterface
public interface RunControl {
    RunControl NEVER = () -> null;

    StopRequest poll();

    /** The last iteration the run may train (pruning); a run that gets there without reaching its target stops. */
    default long stepCap() {
        return Long.MAX_VALUE;
    }
}

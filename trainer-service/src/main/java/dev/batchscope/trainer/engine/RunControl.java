package dev.batchscope.trainer.engine;

/** Polled before every iteration: returns a stop request, or null to go on. Must be cheap. */
@FunctionalInterface
public interface RunControl {
    RunControl NEVER = () -> null;

    StopRequest poll();
}

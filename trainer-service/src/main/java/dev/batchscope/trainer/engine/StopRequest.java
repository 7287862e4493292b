package dev.batchscope.trainer.engine;

/**
 * A request to stop a run between two iterations.
 *
 * @param suspend true: save a checkpoint and stop so that another attempt continues the run (shutdown,
 *                partition handed to another trainer); false: the run is cancelled for good
 */
public record StopRequest(boolean suspend, String reason) {
    public static StopRequest cancel(String reason) {
        return new StopRequest(false, reason);
    }

    public static StopRequest suspend(String reason) {
        return new StopRequest(true, reason);
    }
}

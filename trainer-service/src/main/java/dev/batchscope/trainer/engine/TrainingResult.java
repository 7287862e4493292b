package dev.batchscope.trainer.engine;

/**
 * How an attempt ended (a run that cannot be trained throws {@link TrainingException} instead).
 *
 * @param iterations the last completed iteration
 * @param reason     why it stopped early; null when completed
 */
public record TrainingResult(Outcome outcome, long iterations, long samplesSeen, String reason) {
    public enum Outcome {
        /** The budget is spent. */
        COMPLETED,
        /** Stopped for good on request. */
        CANCELLED,
        /** Stopped after saving a checkpoint; another attempt continues it. */
        SUSPENDED
    }
}

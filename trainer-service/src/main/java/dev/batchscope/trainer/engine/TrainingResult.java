package dev.batchscope.trainer.engine;

/**
 * How an attempt ended (a run that cannot be trained throws {@link TrainingException} instead).
 *
 * @param iterations      the last completed iteration
 * @param reason          why it stopped early; null when completed
 * @param reachedTargetAt the iteration at which the run's TargetCrossing first held; null when it has no target or
 *                        did not reach it
 */
public record TrainingResult(Outcome outcome, long iterations, long samplesSeen, String reason, Long reachedTargetAt) {
    public enum Outcome {
        /** The budget is spent. */
        COMPLETED,
        /** stopAtTarget: the smoothed loss reached the target; stopped for good after a last validation. */
        REACHED_TARGET,
        /** The run reached its step cap without reaching the target; stopped for good after a last validation. */
        PRUNED,
        /** Stopped for good on request. */
        CANCELLED,
        /** Stopped after saving a checkpoint; another attempt continues it. */
        SUSPENDED
    }
}

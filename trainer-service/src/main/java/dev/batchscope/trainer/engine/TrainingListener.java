package dev.batchscope.trainer.engine;

/**
 * Receives a run's progress on the training thread, in order. The service turns it into Kafka events;
 * a listener that throws stops the run with that exception.
 */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    /** Before the first step of this attempt; {@code resumedAfter} is the last iteration of a restored checkpoint, or 0. */
    default void started(TrainingPlan plan, long resumedAfter) {
    }

    default void iteration(IterationRecord record) {
    }

    default void validated(ValidationRecord record) {
    }

    /**
     * Asked before a checkpoint after {@code iteration} is saved: whether everything reported up to it is delivered for
     * good. A resumed attempt starts after its checkpoint and never reports those iterations again, so a checkpoint
     * must not get ahead of delivery (a trainer killed between the two would lose them). False skips this checkpoint;
     * the next one asks again.
     */
    default boolean delivered(long iteration) {
        return true;
    }

    default void checkpointed(long iteration) {
    }
}

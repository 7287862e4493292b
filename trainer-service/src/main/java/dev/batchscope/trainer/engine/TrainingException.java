package dev.batchscope.trainer.engine;

/**
 * A run that cannot be trained, for a reason the user can act on (missing data, a batch larger than the data,
 * a diverging loss). The message is that reason: it goes into the run's FAILED status as it is, so it names
 * the field or file at fault and never carries a stack trace.
 */
public class TrainingException extends RuntimeException {
    public TrainingException(String reason) {
        super(reason);
    }

    public TrainingException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

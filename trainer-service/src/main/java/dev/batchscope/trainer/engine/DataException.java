package dev.batchscope.trainer.engine;

/**
 * The run's dataset is missing or unreadable on this trainer (a file that does not exist, is truncated or holds
 * values it should not). The run fails with failure kind {@code data}; the message names the file or field.
 */
public class DataException extends TrainingException {
    public DataException(String reason) {
        super(reason);
    }

    public DataException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

package dev.batchscope.events.spec;

import com.fasterxml.jackson.annotation.JsonValue;

public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** The loss became NaN or infinite. A result of the learning rate, not a failure: it never fails a sweep. */
    DIVERGED;

    @JsonValue
    public String wire() {
        return name();
    }

    /** A terminal state never changes again, whatever arrives later. */
    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}

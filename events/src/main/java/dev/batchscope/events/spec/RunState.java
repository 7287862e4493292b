package dev.batchscope.events.spec;

import com.fasterxml.jackson.annotation.JsonValue;

public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    @JsonValue
    public String wire() {
        return name();
    }

    /** A terminal state never changes again, whatever arrives later. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}

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

    /** The state named {@code wire} (as {@link #wire()} writes it); empty for anything else. */
    public static java.util.Optional<RunState> parse(String wire) {
        for (RunState state : values()) {
            if (state.wire().equals(wire)) {
                return java.util.Optional.of(state);
            }
        }
        return java.util.Optional.empty();
    }

    /** A terminal state never changes again, whatever arrives later. */
    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}

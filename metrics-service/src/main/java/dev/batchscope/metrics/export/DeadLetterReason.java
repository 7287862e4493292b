package dev.batchscope.metrics.export;

/** Why this service sent a record to batchscope.dlq: the fixed {@code reason} set of the dead-letter counter. */
public enum DeadLetterReason {
    /** The record could not be read or failed validation. */
    INVALID("invalid"),
    /** A valid event on the wrong topic (a status event on batchscope.metrics, or the reverse). */
    UNEXPECTED_TYPE("unexpected_type"),
    /** Applying the event threw: a bug, logged with the event's run. */
    ERROR("error");

    private final String label;

    DeadLetterReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

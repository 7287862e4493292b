package dev.batchscope.scheduler.sweep;

/** An Idempotency-Key was used again with a different sweep spec. */
public class IdempotencyConflictException extends RuntimeException {
    private final String existingSweepId;

    public IdempotencyConflictException(String existingSweepId) {
        super("was already used for sweep " + existingSweepId + " with a different spec; use a new key for a new sweep");
        this.existingSweepId = existingSweepId;
    }

    public String existingSweepId() {
        return existingSweepId;
    }
}

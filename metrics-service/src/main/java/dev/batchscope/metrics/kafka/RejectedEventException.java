package dev.batchscope.metrics.kafka;

/** Why a record goes to the DLQ; its message becomes the dead-letter-reason header. No stack trace is kept. */
public class RejectedEventException extends RuntimeException {
    public RejectedEventException(String reason) {
        super(reason, null, false, false);
    }
}

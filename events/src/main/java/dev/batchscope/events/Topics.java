package dev.batchscope.events;

/** Topic names (docs/design.md#3-topics-and-keys, contract). Every topic is keyed by runId. */
public final class Topics {
    public static final String RUNS_REQUESTED = "batchscope.runs.requested";
    public static final String RUNS_CONTROL = "batchscope.runs.control";
    public static final String RUNS_STATUS = "batchscope.runs.status";
    public static final String METRICS = "batchscope.metrics";
    public static final String DLQ = "batchscope.dlq";

    private Topics() {
    }
}

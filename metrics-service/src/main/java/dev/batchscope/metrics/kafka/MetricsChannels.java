package dev.batchscope.metrics.kafka;

/** Channel and rebalance-listener names, shared by the code, application.properties and the tests. */
public final class MetricsChannels {
    /** batchscope.metrics, consumed whole in batches by every replica (a group per replica). */
    public static final String METRICS = "metrics";
    /** batchscope.runs.status, read whole by every replica. */
    public static final String STATUS = "run-status";
    public static final String METRICS_LISTENER = "metrics-partitions";
    public static final String STATUS_LISTENER = "status-partitions";

    private MetricsChannels() {
    }
}

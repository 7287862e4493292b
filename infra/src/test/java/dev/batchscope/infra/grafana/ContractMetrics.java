package dev.batchscope.infra.grafana;

import java.util.Set;

/**
 * The Prometheus names of docs/design.md#8-metrics (contract): what the metrics-service exports and the
 * dashboards and rules may query, plus the JVM and process meters of Quarkus's Micrometer binders.
 */
public final class ContractMetrics {
    /** Per run, labelled sweep, run, batch_size, model, dataset ({@code batchscope_run_state} also state). */
    public static final Set<String> PER_RUN = Set.of(
            "batchscope_train_loss", "batchscope_train_loss_ema", "batchscope_gradient_norm",
            "batchscope_gradient_variance", "batchscope_gradient_noise_scale", "batchscope_learning_rate",
            "batchscope_iterations_total", "batchscope_samples_seen_total", "batchscope_samples_per_second",
            "batchscope_epoch", "batchscope_validation_loss", "batchscope_validation_accuracy",
            "batchscope_run_state");

    /** Per sweep, labelled sweep (and batch_size for the two *_to_target). */
    public static final Set<String> PER_SWEEP = Set.of(
            "batchscope_sweep_critical_batch_size", "batchscope_sweep_steps_to_target",
            "batchscope_sweep_samples_to_target");

    /** Service health; the delay histogram appears as its _bucket, _sum and _count series. */
    public static final Set<String> SERVICE_HEALTH = Set.of(
            "batchscope_events_consumed_total", "batchscope_events_rejected_total", "batchscope_tracked_runs",
            "batchscope_event_delay_seconds_bucket", "batchscope_event_delay_seconds_sum",
            "batchscope_event_delay_seconds_count");

    /** Micrometer's JVM and process meters as Quarkus exports them, and Prometheus's own up. */
    public static final Set<String> RUNTIME = Set.of(
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
            "process_cpu_usage", "system_cpu_usage", "up");

    public static final Set<String> RUN_LABELS = Set.of("sweep", "run", "batch_size", "model", "dataset");

    private ContractMetrics() {
    }

    public static boolean known(String metric) {
        return PER_RUN.contains(metric) || PER_SWEEP.contains(metric) || SERVICE_HEALTH.contains(metric)
                || RUNTIME.contains(metric);
    }
}

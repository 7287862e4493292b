package dev.batchscope.infra.grafana;

import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.infra.prometheus.PrometheusFiles;
import dev.batchscope.infra.support.Yaml;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The names dashboards and rules may query (docs/design.md#8-metrics): the series of events' {@link ExportedMetric}
 * (the list every service registers its meters from; no copy here), the recording rules of infra/prometheus/rules,
 * and the JVM, process and Kafka-client meters of Quarkus's Micrometer binders with Prometheus's own {@code up}.
 */
public final class ContractMetrics {
    /** Every series name of {@link ExportedMetric}. */
    public static final Set<String> EXPORTED = Arrays.stream(ExportedMetric.values())
            .flatMap(m -> m.prometheusSeries().stream()).collect(Collectors.toCollection(TreeSet::new));

    /** Micrometer's JVM, process and Kafka-client meters as Quarkus exports them, and Prometheus's own up. */
    public static final Set<String> RUNTIME = Set.of(
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count", "jvm_threads_live_threads",
            "process_cpu_usage", "system_cpu_usage", "kafka_consumer_fetch_manager_records_lag_max", "up");

    private ContractMetrics() {
    }

    /** The names the rule files record. */
    public static Set<String> recorded() {
        Set<String> names = new TreeSet<>();
        for (Path file : PrometheusFiles.ruleFiles()) {
            Yaml.read(file).path("groups").forEach(g -> g.path("rules").forEach(r -> {
                if (r.has("record")) {
                    names.add(r.path("record").asText());
                }
            }));
        }
        return names;
    }

    public static boolean known(String metric) {
        return EXPORTED.contains(metric) || RUNTIME.contains(metric) || recorded().contains(metric);
    }
}

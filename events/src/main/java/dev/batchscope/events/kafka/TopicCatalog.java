package dev.batchscope.events.kafka;

import dev.batchscope.events.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The topics of DESIGN.md section 2 with their partitions and cleanup policies. */
public final class TopicCatalog {
    /**
     * Status shares the metrics topic's partition count: Kafka's default partitioner then puts a run's
     * status and metrics on the same partition number, which lets a metrics-service replica tell its runs.
     */
    public static final int RUN_PARTITIONS = 12;

    public static final List<TopicDefinition> ALL = List.of(
            new TopicDefinition(Topics.RUNS_REQUESTED, RUN_PARTITIONS, deleteAfter(Duration.ofDays(7))),
            new TopicDefinition(Topics.RUNS_CONTROL, 1, deleteAfter(Duration.ofDays(1))),
            new TopicDefinition(Topics.RUNS_STATUS, RUN_PARTITIONS, Map.of("cleanup.policy", "compact")),
            new TopicDefinition(Topics.METRICS, RUN_PARTITIONS, deleteAfter(Duration.ofDays(7))),
            new TopicDefinition(Topics.DLQ, 1, deleteAfter(Duration.ofDays(14))));

    private TopicCatalog() {
    }

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retention.toMillis()));
    }
}

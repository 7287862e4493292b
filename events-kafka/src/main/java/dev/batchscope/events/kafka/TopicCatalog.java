package dev.batchscope.events.kafka;

import dev.batchscope.events.Topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The topics of docs/design.md#3-topics-and-keys with their partitions and cleanup policies. */
public final class TopicCatalog {
    /**
     * Status shares the metrics topic's partition count: Kafka's default partitioner then puts a run's
     * status and metrics on the same partition number, which lets a metrics-service replica tell its runs.
     */
    public static final int RUN_PARTITIONS = 12;
    /** The largest dead letter: the services' DLQ producers allow as much (service-common). */
    public static final int DEAD_LETTER_MAX_BYTES = 2 * 1024 * 1024;

    public static final List<TopicDefinition> ALL = List.of(
            new TopicDefinition(Topics.RUNS_REQUESTED, RUN_PARTITIONS, deleteAfter(Duration.ofDays(7))),
            new TopicDefinition(Topics.RUNS_CONTROL, 1, deleteAfter(Duration.ofDays(1))),
            new TopicDefinition(Topics.RUNS_STATUS, RUN_PARTITIONS, Map.of("cleanup.policy", "compact")),
            new TopicDefinition(Topics.METRICS, RUN_PARTITIONS, deleteAfter(Duration.ofDays(7))),
            new TopicDefinition(Topics.DLQ, 1, deadLetters()));

    private TopicCatalog() {
    }

    /**
     * A dead letter carries the bad record and the reason, source topic, partition and offset in its headers: up to
     * 2 MiB, so that a rejected record at the broker's default 1 MiB limit still fits.
     */
    private static Map<String, String> deadLetters() {
        Map<String, String> configs = new java.util.HashMap<>(deleteAfter(Duration.ofDays(14)));
        configs.put("max.message.bytes", Integer.toString(DEAD_LETTER_MAX_BYTES));
        return Map.copyOf(configs);
    }

    private static Map<String, String> deleteAfter(Duration retention) {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(retention.toMillis()));
    }
}

package dev.batchscope.metrics.kafka;

import jakarta.enterprise.context.ApplicationScoped;

/** Replay progress and boundaries of the two topics this service reads, and what it owns of the metrics topic. */
@ApplicationScoped
public class ConsumerProgress {
    private final TopicProgress metrics = new TopicProgress();
    private final TopicProgress status = new TopicProgress();
    private final LocalMembers metricsMembers = new LocalMembers();
    private final ExportOwnership exportOwnership = new ExportOwnership();

    public TopicProgress metrics() {
        return metrics;
    }

    public TopicProgress status() {
        return status;
    }

    /** The metrics partitions whose runs this replica exports and whose bad records it dead-letters. */
    public ExportOwnership exportOwnership() {
        return exportOwnership;
    }

    /** This replica's consumers of the metrics topic. */
    public LocalMembers metricsMembers() {
        return metricsMembers;
    }
}

package dev.batchscope.metrics.kafka;

import jakarta.enterprise.context.ApplicationScoped;

/** Replay progress and boundaries of the two topics this service reads. */
@ApplicationScoped
public class ConsumerProgress {
    private final TopicProgress metrics = new TopicProgress();
    private final TopicProgress status = new TopicProgress();
    private final LocalMembers metricsMembers = new LocalMembers();

    public TopicProgress metrics() {
        return metrics;
    }

    public TopicProgress status() {
        return status;
    }

    /** This replica's consumers of the metrics topic. */
    public LocalMembers metricsMembers() {
        return metricsMembers;
    }
}

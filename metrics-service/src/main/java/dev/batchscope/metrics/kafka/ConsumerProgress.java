package dev.batchscope.metrics.kafka;

import jakarta.enterprise.context.ApplicationScoped;

/** Replay progress and boundaries of the two topics this service reads. */
@ApplicationScoped
public class ConsumerProgress {
    private final TopicProgress metrics = new TopicProgress();
    private final TopicProgress status = new TopicProgress();

    public TopicProgress metrics() {
        return metrics;
    }

    public TopicProgress status() {
        return status;
    }
}

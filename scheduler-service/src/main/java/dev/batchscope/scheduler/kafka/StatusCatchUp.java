package dev.batchscope.scheduler.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far this instance has read the status topic: where each partition's replay ended, the next offset the live
 * channel would read, and whether the replay is complete (the readiness check reports that).
 */
@ApplicationScoped
public class StatusCatchUp {
    private final Map<TopicPartition, Long> nextOffset = new ConcurrentHashMap<>();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile long replayMillis = -1;
    private volatile boolean caughtUp;

    boolean knows(TopicPartition partition) {
        return nextOffset.containsKey(partition);
    }

    void replayed(StatusReplay.Result result) {
        result.endOffsets().forEach((tp, end) -> nextOffset.merge(tp, end, Math::max));
        replayed.addAndGet(result.applied());
        skipped.addAndGet(result.skipped());
        replayMillis = result.millis();
    }

    /** The live channel has handled the record at {@code offset}. */
    void processed(TopicPartition partition, long offset) {
        nextOffset.merge(partition, offset + 1, Math::max);
    }

    long resumeAt(TopicPartition partition) {
        return nextOffset.getOrDefault(partition, 0L);
    }

    void markCaughtUp() {
        caughtUp = true;
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public long replayedEvents() {
        return replayed.get();
    }

    public long skippedRecords() {
        return skipped.get();
    }

    public long replayMillis() {
        return replayMillis;
    }
}

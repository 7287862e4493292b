package dev.batchscope.metrics.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per partition of one topic: where the replay that rebuilds state ends, what has been processed, and two
 * boundaries that keep a replay from having effects twice:
 * <ul>
 *   <li>{@code deadLetterFrom}: records below it are part of the replay and not dead-lettered again (the status
 *   topic's end when assigned; on the metrics topic the export owner's boundary decides instead,
 *   {@link ExportOwnership});</li>
 *   <li>{@code liveFrom}: the end of the partition when it was assigned; records from there on are new, and only
 *   their emit-to-applied delay is measured.</li>
 * </ul>
 * Written by the polling thread (assignment) and the consumer's completion stages; read by health and REST.
 */
public final class TopicProgress {
    private final Map<Integer, Partition> partitions = new ConcurrentHashMap<>();

    /**
     * @param start the partition's first offset (retention may have deleted the ones before), where the replay begins
     */
    public void assigned(int partition, long start, long deadLetterFrom, long liveFrom, int generation) {
        partitions.put(partition, new Partition(start, deadLetterFrom, liveFrom, generation));
    }

    /** Whether a record polled in {@code generation} belongs to the current assignment of its partition. */
    public boolean current(int partition, int generation) {
        Partition p = partitions.get(partition);
        return p != null && generation >= p.generation;
    }

    /** The next offset to process of an assigned partition; -1 if it is not assigned. */
    public long next(int partition) {
        Partition p = partitions.get(partition);
        return p == null ? -1 : p.next;
    }

    public boolean has(int partition) {
        return partitions.containsKey(partition);
    }

    public void revoked(int partition) {
        partitions.remove(partition);
    }

    public void processed(int partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null && offset + 1 > p.next) {
            p.next = offset + 1;
        }
    }

    public boolean live(int partition, long offset) {
        Partition p = partitions.get(partition);
        return p != null && offset >= p.liveFrom;
    }

    public boolean deadLetters(int partition, long offset) {
        Partition p = partitions.get(partition);
        return p != null && offset >= p.deadLetterFrom;
    }

    /** Whether every assigned partition has been read up to where it ended when it was assigned. */
    public boolean caughtUp() {
        for (Partition p : partitions.values()) {
            if (p.next < p.liveFrom) {
                return false;
            }
        }
        return true;
    }

    public int assignedCount() {
        return partitions.size();
    }

    /** Records still to replay, summed over partitions. */
    public long behind() {
        long behind = 0;
        for (Partition p : partitions.values()) {
            behind += Math.max(0, p.liveFrom - p.next);
        }
        return behind;
    }

    private static final class Partition {
        final long deadLetterFrom;
        final long liveFrom;
        final int generation;
        volatile long next;

        Partition(long start, long deadLetterFrom, long liveFrom, int generation) {
            this.generation = generation;
            this.next = start;
            this.deadLetterFrom = deadLetterFrom;
            this.liveFrom = liveFrom;
        }
    }
}

package dev.batchscope.metrics.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generations this replica's own metrics consumers were last assigned in. A replica runs several consumers in its
 * own group, and they join one after the other: until all of them hold an assignment of the same, newest
 * generation, a rebalance is still coming that moves partitions between them (and replays those partitions).
 */
public final class LocalMembers {
    private final Map<String, Integer> generationByMember = new ConcurrentHashMap<>();

    /** Called on every assignment of a consumer, an empty one included. */
    public void assigned(String memberId, int generation) {
        generationByMember.put(memberId, generation);
    }

    /** How many of the consumers hold an assignment of the newest generation any of them has seen. */
    public int settled() {
        int newest = generationByMember.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        return (int) generationByMember.values().stream().filter(generation -> generation == newest).count();
    }
}

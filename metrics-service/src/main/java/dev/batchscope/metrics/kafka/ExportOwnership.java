package dev.batchscope.metrics.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metrics partitions this replica owns in the replicas' shared group {@code batchscope-metrics}, and per owned
 * partition how far it has examined records for the DLQ. Every replica reads every partition, but only the owner of
 * a partition exports its runs to Prometheus and dead-letters its bad records, so each run is exported once and each
 * bad record reaches the DLQ once across replicas.
 *
 * <p>The shared group's committed offset is the dead-letter boundary: records below it were examined by an owner
 * before. An owner examines a partition contiguously from that boundary. A reader that is already past the boundary
 * when the partition is gained (it read the partition while another replica owned it) would leave a gap of records
 * nobody examined, so it is asked to rewind to the boundary ({@link #claim} tells); until the re-read reaches the
 * boundary, batches of that partition dead-letter nothing and the commit stays where it is.
 *
 * <p>Written by the ownership member's thread (gained, lost, committed) and the metrics consumers (claims).
 */
public final class ExportOwnership {
    /** How long a requested rewind may take before it is asked for again (it can be lost to a local rebalance). */
    private static final long REWIND_RETRY_NANOS = 10_000_000_000L;

    private final Map<Integer, Owned> owned = new ConcurrentHashMap<>();
    private volatile boolean joined;

    /** The member has been given its share of the group at least once (an empty share included). */
    public void joined() {
        joined = true;
    }

    /**
     * Whether this replica has its share: before that nobody may own the partitions it is about to get, and a new
     * bad status record there would be dead-lettered by no one.
     */
    public boolean hasJoined() {
        return joined;
    }

    /** This replica now owns {@code partition}; {@code committed} is the group's offset there (its first if none). */
    public void gained(int partition, long committed) {
        owned.put(partition, new Owned(committed));
    }

    /**
     * This replica owns {@code partition} and its reader has already read up to {@code readUpTo}. Returns where the
     * reader must go back to so that nothing is left unexamined, or -1. Asked at once on gaining the partition,
     * because a reader idle at the end of a quiet partition would send no batch that could tell.
     */
    public long gained(int partition, long committed, long readUpTo) {
        Owned o = new Owned(committed);
        if (readUpTo <= committed) {
            owned.put(partition, o);
            return -1;
        }
        o.rewindAskedAt = System.nanoTime();
        owned.put(partition, o);
        return committed;
    }

    public void lost(int partition) {
        owned.remove(partition);
    }

    public boolean owns(int partition) {
        return owned.containsKey(partition);
    }

    public Set<Integer> partitions() {
        return new TreeSet<>(owned.keySet());
    }

    /**
     * A batch of the reader holds records {@code first}.. of {@code partition}. Returns the claim that says from which
     * offset on this batch dead-letters the partition's bad records: none when the partition is not owned, the batch
     * lies wholly below what was examined, or it starts past it (a gap: then {@link Claim#rewindTo()} says where the
     * reader has to go back to).
     */
    public Claim claim(int partition, long first) {
        Owned o = owned.get(partition);
        if (o == null) {
            return Claim.NONE;
        }
        synchronized (o) {
            if (first <= o.examined) {
                o.rewindAskedAt = 0;
                return new Claim(o, o.examined, -1);
            }
            long now = System.nanoTime();
            if (o.rewindAskedAt == 0 || now - o.rewindAskedAt > REWIND_RETRY_NANOS) {
                o.rewindAskedAt = now;
                return new Claim(null, Long.MAX_VALUE, o.examined);
            }
            return Claim.NONE;
        }
    }

    /** Next offsets worth committing to the shared group: examined beyond what is committed. */
    public Map<Integer, Long> committable() {
        Map<Integer, Long> out = new HashMap<>();
        owned.forEach((partition, o) -> {
            synchronized (o) {
                if (o.examined > o.committed) {
                    out.put(partition, o.examined);
                }
            }
        });
        return out;
    }

    public void committed(int partition, long next) {
        Owned o = owned.get(partition);
        if (o != null) {
            synchronized (o) {
                o.committed = Math.max(o.committed, next);
            }
        }
    }

    /**
     * What a batch may dead-letter of one partition.
     *
     * @param from   records at or above it are dead-lettered if bad; {@code Long.MAX_VALUE}: none
     * @param rewindTo where the reader must re-read the partition from; -1: no rewind
     */
    public record Claim(Owned owner, long from, long rewindTo) {
        static final Claim NONE = new Claim(null, Long.MAX_VALUE, -1);

        public boolean deadLetters(long offset) {
            return offset >= from;
        }

        /** The DLQ holds this batch's bad records up to {@code next}: the commit may pass them. */
        public void examined(long next) {
            if (owner == null) {
                return;
            }
            synchronized (owner) {
                // a claim of an earlier ownership of the partition is a different Owned: it changes nothing now
                if (from <= owner.examined) {
                    owner.examined = Math.max(owner.examined, next);
                }
            }
        }
    }

    /** One owned partition; guarded by itself. */
    public static final class Owned {
        private long examined;
        private long committed;
        private long rewindAskedAt;

        Owned(long committed) {
            this.examined = committed;
            this.committed = committed;
        }
    }
}

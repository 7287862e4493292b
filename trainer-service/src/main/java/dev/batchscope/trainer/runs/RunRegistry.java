package dev.batchscope.trainer.runs;

import dev.batchscope.trainer.engine.RunControl;
import dev.batchscope.trainer.engine.StopRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The runs this instance is training, and the cancellations and step caps it has heard of. The control consumer and
 * the rebalance listener write stop requests and caps here; each run's training loop polls its own between
 * iterations. Cancellations and caps are remembered for runs not started yet, so such a run starts with them.
 */
@ApplicationScoped
public class RunRegistry {
    /** Cancellations remembered for runs not (yet) seen here; the control topic keeps one day of them. */
    static final int REMEMBERED_CANCELLATIONS = 100_000;
    private static final Logger LOG = Logger.getLogger(RunRegistry.class);

    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final Map<String, String> cancelled = remembered();
    /** The lowest step cap heard of per run (pruning). */
    private final Map<String, Long> caps = remembered();

    /** At most {@link #REMEMBERED_CANCELLATIONS} entries, the oldest going first. */
    private static <V> Map<String, V> remembered() {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED_CANCELLATIONS;
            }
        });
    }

    /** Registers a run that starts training now; close the handle when it has stopped. */
    public ActiveRun start(String runId, TopicPartition partition) {
        ActiveRun run = new ActiveRun(runId, partition);
        String reason = cancelled.get(runId);
        if (reason != null) {
            run.stop(StopRequest.cancel(reason));
        }
        Long cap = caps.get(runId);
        if (cap != null) {
            run.lowerCap(cap);
        }
        active.put(runId, run);
        return run;
    }

    /** The run may train at most {@code maxIterations} iterations; the lowest cap of a run wins. */
    public void cap(String runId, long maxIterations) {
        long lowest = caps.merge(runId, maxIterations, Math::min);
        ActiveRun run = active.get(runId);
        if (run != null) {
            LOG.infof("run %s: step cap %d", runId, lowest);
            run.lowerCap(lowest);
        }
    }

    /** The lowest step cap heard of for the run; null when none. */
    public Long stepCap(String runId) {
        return caps.get(runId);
    }

    /** Why the run was cancelled, if it was. */
    public String cancellation(String runId) {
        return cancelled.get(runId);
    }

    public void cancel(String runId, String reason) {
        String why = reason == null || reason.isBlank() ? "cancelled" : reason;
        cancelled.put(runId, why);
        ActiveRun run = active.get(runId);
        if (run != null) {
            LOG.infof("cancelling run %s: %s", runId, why);
            run.stop(StopRequest.cancel(why));
        }
    }

    /**
     * Asks the runs whose records come from {@code partitions} to checkpoint and stop, and waits for them:
     * the partition's next owner then resumes from that checkpoint instead of training the run a second time.
     *
     * @return how many runs were handed over
     */
    public int handOff(Collection<TopicPartition> partitions, String why, Duration timeout) {
        List<ActiveRun> leaving = active.values().stream()
                .filter(run -> run.partition != null && partitions.contains(run.partition))
                .toList();
        leaving.forEach(run -> {
            LOG.infof("suspending run %s: %s", run.runId, why);
            run.stop(StopRequest.suspend(why));
        });
        awaitAll(leaving, timeout);
        return leaving.size();
    }

    /** Suspends every run (the instance is shutting down) and waits for their checkpoints. */
    public void suspendAll(String why, Duration timeout) {
        List<ActiveRun> all = List.copyOf(active.values());
        all.forEach(run -> run.stop(StopRequest.suspend(why)));
        awaitAll(all, timeout);
    }

    public int activeCount() {
        return active.size();
    }

    private static void awaitAll(List<ActiveRun> runs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ActiveRun run : runs) {
            try {
                if (!run.stopped.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warnf("run %s did not stop within %s; its next attempt resumes from an older checkpoint", run.runId, timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A run in training: its stop request, and a latch that opens when its loop has returned. */
    public final class ActiveRun implements RunControl, AutoCloseable {
        private final String runId;
        private final TopicPartition partition;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile StopRequest stop;
        private volatile long stepCap = Long.MAX_VALUE;

        private ActiveRun(String runId, TopicPartition partition) {
            this.runId = runId;
            this.partition = partition;
        }

        @Override
        public StopRequest poll() {
            return stop;
        }

        @Override
        public long stepCap() {
            return stepCap;
        }

        synchronized void lowerCap(long cap) {
            stepCap = Math.min(stepCap, cap);
        }

        void stop(StopRequest request) {
            StopRequest current = stop;
            // a cancellation wins over a suspension: a cancelled run must not come back
            if (current == null || (current.suspend() && !request.suspend())) {
                stop = request;
            }
        }

        @Override
        public void close() {
            active.remove(runId, this);
            stopped.countDown();
        }
    }
}

package dev.batchscope.scheduler.pruning;

import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.RunStepCap;
import dev.batchscope.scheduler.kafka.EventPublisher;
import dev.batchscope.scheduler.metrics.SchedulerMetrics;
import dev.batchscope.scheduler.state.SweepState;
import dev.batchscope.scheduler.state.SweepStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code RunStepCap} to the runs that can no longer win (the margin rule of {@link StepCaps}).
 *
 * <p>It needs nothing but the sweep store, which is rebuilt from the status topic: a status that reports a crossing
 * of the target makes it review that sweep, and after every replay of the status topic it reviews all sweeps. So a
 * restarted scheduler sends again the caps of runs that have not ended (trainers keep the lowest cap of a run, so a
 * repeated one changes nothing), and a cap is never lost to a crash between reading the crossing and publishing.
 * A cap is sent again only when it falls.
 *
 * <p>Reviews and publishing run on one thread of their own: the status channel never waits for Kafka's
 * acknowledgement of a cap, and the caps sent so far need no locking.
 */
@ApplicationScoped
public class PruningCoordinator {
    private static final Logger LOG = Logger.getLogger(PruningCoordinator.class);
    private static final long RETRY_SECONDS = 5;

    private final SweepStore store;
    private final EventPublisher publisher;
    private final SchedulerMetrics metrics;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "batchscope-pruning");
        t.setDaemon(true);
        return t;
    });
    /** The lowest cap sent to each run; only touched on {@link #thread}. */
    private final Map<String, Long> sent = new HashMap<>();

    @Inject
    public PruningCoordinator(SweepStore store, EventPublisher publisher, SchedulerMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** A status was applied to the store: a crossing of the target may set a new best for its group. */
    public void applied(RunStatusChanged status) {
        if (status.reachedTargetAt() != null && status.sweep() != null && status.sweep().pruning() != null
                && status.sweep().pruning().prunes()) {
            String sweepId = status.sweepId();
            thread.execute(() -> review(sweepId));
        }
    }

    /** The store was (re)built from the status topic: every sweep may have caps to send. */
    public void replayed() {
        thread.execute(() -> store.newestFirst().forEach(sweep -> review(sweep.sweepId())));
    }

    private void review(String sweepId) {
        SweepState sweep = store.sweep(sweepId).orElse(null);
        if (sweep == null) {
            return;
        }
        List<RunStepCap> toSend = new ArrayList<>();
        for (StepCaps.Cap cap : StepCaps.of(sweep)) {
            Long before = sent.get(cap.runId());
            if (before == null || cap.maxIterations() < before) {
                toSend.add(RunStepCap.of(cap.runId(), sweepId, cap.maxIterations(), cap.reason(sweep.pruning())));
            }
        }
        if (toSend.isEmpty()) {
            return;
        }
        try {
            publisher.control(toSend);
        } catch (RuntimeException e) {
            LOG.warnf("sweep %s: could not send %d step caps (%s); trying again in %d s", sweepId, toSend.size(),
                    e.getMessage(), RETRY_SECONDS);
            thread.schedule(() -> review(sweepId), RETRY_SECONDS, TimeUnit.SECONDS);
            return;
        }
        toSend.forEach(cap -> sent.merge(cap.runId(), cap.maxIterations(), Math::min));
        metrics.stepCapsRequested(toSend.size());
        LOG.infof("sweep %s: capped %d runs (%s)", sweepId, toSend.size(), toSend.get(0).reason());
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}

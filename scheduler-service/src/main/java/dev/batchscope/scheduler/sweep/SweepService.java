package dev.batchscope.scheduler.sweep;

import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.scheduler.kafka.EventPublisher;
import dev.batchscope.scheduler.kafka.PublishFailedException;
import dev.batchscope.scheduler.metrics.SchedulerMetrics;
import dev.batchscope.scheduler.state.ScheduledRun;
import dev.batchscope.scheduler.state.SweepState;
import dev.batchscope.scheduler.state.SweepStore;
import dev.batchscope.service.api.SweepNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns sweeps into runs and runs into events. State is never written here directly: every change is a
 * status event, applied locally once Kafka has acknowledged it and read back from the topic later.
 */
@ApplicationScoped
public class SweepService {
    public static final String CANCEL_REASON = "cancelled by user";
    public static final String SUBMIT_FAILED_REASON = "submission failed: Kafka did not acknowledge the run requests";
    private static final Logger LOG = Logger.getLogger(SweepService.class);

    private final SweepStore store;
    private final EventPublisher publisher;
    private final SchedulerMetrics metrics;
    /** One keyed submission at a time, so that two concurrent retries cannot both publish. */
    private final Object keyedSubmissions = new Object();

    @Inject
    public SweepService(SweepStore store, EventPublisher publisher, SchedulerMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** A submitted sweep; {@code replayed} when an earlier POST with the same Idempotency-Key created it. */
    public record Submission(SweepState sweep, boolean replayed) {
    }

    /** A cancel: the sweep afterwards and how many runs were told to stop. */
    public record Cancellation(SweepState sweep, int cancelledRuns) {
    }

    public Submission submit(SweepSpec spec, String idempotencyKey) {
        if (idempotencyKey == null) {
            return new Submission(publish(spec, null), false);
        }
        synchronized (keyedSubmissions) {
            Optional<SweepState> earlier = store.sweepIdForIdempotencyKey(idempotencyKey).flatMap(store::sweep)
                    .filter(sweep -> !submissionFailed(sweep));
            if (earlier.isPresent()) {
                if (!sameSweep(earlier.get(), spec)) {
                    throw new IdempotencyConflictException(earlier.get().sweepId());
                }
                return new Submission(earlier.get(), true);
            }
            return new Submission(publish(spec, idempotencyKey), false);
        }
    }

    /**
     * Cancels every run of the sweep that has not ended.
     *
     * <p>The contract with trainers: a {@code RunCancelled} on batchscope.runs.control goes out for every
     * unfinished run, whether it is running or still queued. A trainer stops a running run within one iteration
     * and reports CANCELLED. A trainer that receives a {@code RunRequested} must first check that no
     * {@code RunCancelled} exists for that runId (and that the run's status is not terminal); if one does, it
     * acknowledges the request without training. For runs that never started, the scheduler also writes the
     * CANCELLED status itself, so their state is final at once even if no trainer ever looks at them.
     */
    public Cancellation cancel(String sweepId) {
        SweepState sweep = store.sweep(sweepId).orElseThrow(() -> new SweepNotFoundException(sweepId));
        List<ScheduledRun> unfinished = sweep.runs().stream().filter(run -> !run.current().state().terminal()).toList();
        publisher.control(unfinished.stream()
                .map(run -> RunCancelled.of(run.runId(), sweepId, CANCEL_REASON)).toList());
        List<RunStatusChanged> neverStarted = unfinished.stream()
                .map(ScheduledRun::current)
                .filter(status -> status.state() == RunState.QUEUED)
                .map(status -> status.ended(RunOutcome.CANCELLED, status.attempt(), null, CANCEL_REASON))
                .toList();
        publisher.status(neverStarted);
        store.applyLocal(neverStarted);
        metrics.cancelRequested(unfinished.size());
        LOG.infof("sweep %s: cancel sent for %d runs (%d had not started)", sweepId, unfinished.size(), neverStarted.size());
        return new Cancellation(store.sweep(sweepId).orElseThrow(), unfinished.size());
    }

    public Optional<SweepState> find(String sweepId) {
        return store.sweep(sweepId);
    }

    public List<SweepState> newestFirst() {
        return store.newestFirst();
    }

    /**
     * QUEUED statuses go out (and are acknowledged) before the run requests: a trainer's RUNNING can then never
     * precede the run's QUEUED on the status topic.
     */
    private SweepState publish(SweepSpec spec, String idempotencyKey) {
        // millisecond precision: the same instant must survive the JSON round trip through the topic
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String sweepId = SweepIds.sweepId(createdAt);
        List<RunSpec> specs = spec.expand();
        List<RunRequested> requests = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            SweepRef ref = new SweepRef(spec.name(), createdAt, specs.size(), i, idempotencyKey, spec.protocol(), spec.pruning());
            requests.add(RunRequested.of(SweepIds.runId(sweepId, i), sweepId, specs.get(i), ref));
        }
        List<RunStatusChanged> queued = requests.stream().map(RunStatusChanged::queued).toList();
        publisher.status(queued);
        store.applyLocal(queued);
        try {
            publisher.requests(requests);
        } catch (PublishFailedException e) {
            abandon(queued);
            throw e;
        }
        metrics.sweepSubmitted(requests.size());
        LOG.infof("sweep %s (%s): %d runs requested", sweepId, spec.name(), requests.size());
        return store.sweep(sweepId).orElseThrow();
    }

    /** The runs are QUEUED but not all were requested: mark them CANCELLED so the sweep does not wait forever. */
    private void abandon(List<RunStatusChanged> queued) {
        List<RunStatusChanged> failed = queued.stream()
                .map(status -> status.ended(RunOutcome.CANCELLED, status.attempt(), null, SUBMIT_FAILED_REASON)).toList();
        store.applyLocal(failed);
        try {
            publisher.status(failed);
        } catch (PublishFailedException e) {
            LOG.warnf("sweep %s: could not record the failed submission either: %s", queued.get(0).sweepId(), e.getMessage());
        }
    }

    /** A retry after a failed submission submits again rather than returning the abandoned sweep. */
    private static boolean submissionFailed(SweepState sweep) {
        return !sweep.runs().isEmpty() && sweep.runs().stream()
                .allMatch(run -> SUBMIT_FAILED_REASON.equals(run.current().reason()));
    }

    private static boolean sameSweep(SweepState sweep, SweepSpec spec) {
        List<RunSpec> specs = spec.expand();
        if (!sweep.name().equals(spec.name()) || sweep.runCount() != specs.size() || sweep.runs().size() != specs.size()) {
            return false;
        }
        for (ScheduledRun run : sweep.runs()) {
            if (run.index() >= specs.size() || !specs.get(run.index()).equals(run.spec())) {
                return false;
            }
        }
        return true;
    }
}

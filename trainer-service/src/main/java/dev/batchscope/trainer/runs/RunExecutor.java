package dev.batchscope.trainer.runs;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.trainer.config.TrainerConfig;
import dev.batchscope.trainer.engine.DataException;
import dev.batchscope.trainer.engine.DivergedException;
import dev.batchscope.trainer.engine.RunControl;
import dev.batchscope.trainer.engine.StopRequest;
import dev.batchscope.trainer.engine.Trainer;
import dev.batchscope.trainer.engine.TrainingException;
import dev.batchscope.trainer.engine.TrainingPlan;
import dev.batchscope.trainer.engine.TrainingResult;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.kafka.RunEventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import org.nd4j.linalg.factory.Nd4j;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Trains one delivered run to its end and says whether its record may be acknowledged: yes when the run
 * finished for good (succeeded, diverged, failed with a reason, cancelled), no when it was suspended for another
 * trainer or attempt to continue. How it ended is a {@link RunOutcome}, decided from the engine's typed result and
 * exceptions: {@link DataException} is {@code data}, {@link DivergedException} {@code diverged}, any other
 * {@link TrainingException} {@code invalid-spec}, anything else {@code internal}.
 */
@ApplicationScoped
public class RunExecutor {
    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    private static final int MAX_REASON = 2000;
    /**
     * A status Kafka does not acknowledge (the broker restarts, a leader moves) is tried again until it is, for as
     * long as it takes: nothing trains while Kafka is away anyway, and a deadline would leave the run's record neither
     * acknowledged nor redelivered on a consumer that stays alive. Only a shutdown or a lost partition (the run's
     * next delivery then publishes it) or an interrupt ends the retries.
     */
    private static final Duration STATUS_RETRY_PAUSE = Duration.ofSeconds(1);

    private final TrainerConfig config;
    private final RunEventPublisher publisher;
    private final RunRegistry registry;
    private final DatasetLoader datasets;
    private final MeterRegistry meters;
    private final String trainerId;

    public RunExecutor(TrainerConfig config, RunEventPublisher publisher, RunRegistry registry, MeterRegistry meters) {
        this.config = config;
        this.publisher = publisher;
        this.registry = registry;
        this.meters = meters;
        this.datasets = DatasetLoader.standard();
        this.trainerId = config.trainer().id().filter(id -> !id.isBlank()).orElseGet(RunExecutor::defaultTrainerId);
    }

    public String trainerId() {
        return trainerId;
    }

    public enum Disposition {
        /** Finished for good: acknowledge the record. */
        ACKNOWLEDGE,
        /** Suspended with a checkpoint: leave the record unacknowledged so that the run is delivered again. */
        REDELIVER
    }

    /**
     * Whether the record's partition is still this trainer's once the run is registered (so that a hand-off from then
     * on finds it): a rebalance may have moved the partition between the record's delivery and now, and then its
     * next owner trains the run.
     */
    @FunctionalInterface
    public interface Ownership {
        Ownership ALWAYS = run -> true;

        boolean stillOwned(RunControl run);
    }

    public Disposition execute(RunRequested request, TopicPartition partition, Ownership ownership) {
        RunDirectory directory = new RunDirectory(config.checkpointDir(), request.runId());
        Optional<RunDirectory.Outcome> finished = directory.outcome();
        if (finished.isPresent()) {
            // delivered again after it finished (the offset commit was lost): say the outcome again, train nothing
            RunDirectory.Outcome outcome = finished.get();
            LOG.infof("run %s already %s in attempt %d; repeating its status", request.runId(), outcome.state(), outcome.attempt());
            return publishStatus(status(request, outcome.state(), outcome.outcome(), outcome.attempt(),
                    outcome.effectiveBatchSize(), outcome.effectiveLearningRate(), outcome.reason(), outcome.reachedTargetAt()), null)
                    ? Disposition.ACKNOWLEDGE : Disposition.REDELIVER;
        }
        try (RunRegistry.ActiveRun control = registry.start(request.runId(), partition)) {
            if (!ownership.stillOwned(control)) {
                LOG.infof("run %s: its partition %s moved to another trainer before the run started; that trainer trains it",
                        request.runId(), partition);
                return Disposition.REDELIVER;
            }
            // counted only now: a run left to another trainer before it started here was no attempt
            int attempt = directory.nextAttempt();
            return train(request, attempt, directory, control);
        } finally {
            // workspaces are per thread; the next run may land on another worker thread
            Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        }
    }

    private Disposition train(RunRequested request, int attempt, RunDirectory directory, RunRegistry.ActiveRun control) {
        String cancelled = registry.cancellation(request.runId());
        if (cancelled != null) {
            return finish(request, directory, control, RunOutcome.CANCELLED, attempt, null, null, cancelled, null);
        }
        Trainer trainer;
        TrainingPlan plan;
        try {
            Dataset data = datasets.load(request.run().dataset(), request.run().seed());
            trainer = Trainer.create(request.run(), data, config.trainer().enginePath());
            plan = trainer.plan();
        } catch (TrainingException e) {
            LOG.infof("run %s cannot be trained: %s", request.runId(), e.getMessage());
            return finish(request, directory, control, failureKind(e), attempt, null, null, e.getMessage(), null);
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s: building the model failed", request.runId());
            return finish(request, directory, control, RunOutcome.INTERNAL, attempt, null, null,
                    unexpected("building the model", e), null);
        }
        int batch = plan.batchSize();
        double lr = plan.peakLearningRate();
        if (!publishStatus(status(request, RunState.RUNNING, null, attempt, batch, lr, null, null), control)) {
            // nothing trained yet: the run's next delivery starts it
            return Disposition.REDELIVER;
        }
        LOG.infof("run %s attempt %d: %s, batch %d, lr %s, %d steps on the %s path", request.runId(), attempt,
                request.run().model().label(), batch, lr, plan.totalSteps(), trainer.path().name().toLowerCase());

        RunEventPublisher.MetricsStream stream = publisher.metricsStream();
        TrainingResult result;
        try {
            result = trainer.train(new MetricsForwarder(request, attempt, stream), control, directory.checkpoints());
        } catch (TrainingException e) {
            if (!awaitDelivered(stream, control, request.runId())) {
                return Disposition.REDELIVER;
            }
            LOG.infof("run %s ended: %s", request.runId(), e.getMessage());
            return finish(request, directory, control, failureKind(e), attempt, batch, lr, e.getMessage(), null);
        } catch (RuntimeException e) {
            if (!awaitDelivered(stream, control, request.runId())) {
                return Disposition.REDELIVER;
            }
            LOG.errorf(e, "run %s: training failed", request.runId());
            return finish(request, directory, control, RunOutcome.INTERNAL, attempt, batch, lr, unexpected("training", e), null);
        }
        if (result.outcome() == TrainingResult.Outcome.SUSPENDED) {
            // its checkpoint covers only delivered events (TrainingListener.delivered): the rest are sent again
            stream.await();
        } else if (!awaitDelivered(stream, control, request.runId())) {
            return Disposition.REDELIVER;
        }
        RunOutcome outcome = switch (result.outcome()) {
            case COMPLETED -> RunOutcome.COMPLETED;
            case REACHED_TARGET -> RunOutcome.REACHED_TARGET;
            case PRUNED -> RunOutcome.PRUNED;
            case CANCELLED -> RunOutcome.CANCELLED;
            case SUSPENDED -> null;
        };
        if (outcome == null) {
            LOG.infof("run %s suspended after iteration %d (%s); it resumes from its checkpoint in its next attempt",
                    request.runId(), result.iterations(), result.reason());
            meters.counter("batchscope.trainer.runs", "outcome", "suspended").increment();
            return Disposition.REDELIVER;
        }
        return finish(request, directory, control, outcome, attempt, batch, lr, result.reason(), result.reachedTargetAt());
    }

    /**
     * Waits until Kafka has acknowledged (or refused) every metric event of the attempt, for as long as it takes, as
     * {@link #publishStatus} does: the outcome recorded next vouches for them, and a redelivery that finds it repeats
     * the status without sending them again (a 20 s broker stop outlasts one publish timeout, and a trainer killed
     * after that lost the run's last validation). Gives up only when the run is being suspended or the thread is
     * interrupted; the run's next attempt then trains on from its checkpoint and sends them anew.
     */
    private boolean awaitDelivered(RunEventPublisher.MetricsStream stream, RunControl control, String runId) {
        while (!stream.await()) {
            StopRequest stop = control == null ? null : control.poll();
            if ((stop != null && stop.suspend()) || Thread.currentThread().isInterrupted()) {
                LOG.errorf("run %s: its metric events are not acknowledged and it is stopping; its next attempt sends"
                        + " them again", runId);
                return false;
            }
            LOG.warnf("run %s: metric events still unacknowledged; waiting for Kafka", runId);
        }
        return true;
    }

    /** What kind of end a run that the engine refused (or that diverged) has: by the exception's type, never its text. */
    static RunOutcome failureKind(TrainingException e) {
        if (e instanceof DivergedException) {
            return RunOutcome.DIVERGED;
        }
        return e instanceof DataException ? RunOutcome.DATA : RunOutcome.INVALID_SPEC;
    }

    /**
     * Records how the run ended, then says so on the status topic. Recorded first: if the status cannot be published
     * now (or this trainer dies before it is), the run's next delivery finds the outcome and repeats its status
     * instead of training the run again.
     */
    private Disposition finish(RunRequested request, RunDirectory directory, RunControl control, RunOutcome outcome,
                               int attempt, Integer batch, Double lr, String reason, Long reachedTargetAt) {
        String bounded = reason == null || reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 1) + "…";
        RunState state = outcome.state();
        directory.finish(new RunDirectory.Outcome(state, attempt, bounded, batch, lr, outcome, reachedTargetAt));
        meters.counter("batchscope.trainer.runs", "outcome", state.name().toLowerCase()).increment();
        return publishStatus(status(request, state, outcome, attempt, batch, lr, bounded, reachedTargetAt), control)
                ? Disposition.ACKNOWLEDGE : Disposition.REDELIVER;
    }

    /**
     * Publishes a status and waits for Kafka's acknowledgement, trying again while Kafka does not give it. A retry may
     * publish the status twice; readers keep a run's latest state, so a repeated one changes nothing.
     *
     * @param control the run's stop requests (null outside training): a suspension (this trainer shuts down, or the
     *                run's partition moves) ends the retries, and the run's next delivery publishes the status
     * @return whether Kafka has the status; false when the trainer gave up, so that the record is left unacknowledged
     */
    private boolean publishStatus(RunStatusChanged status, RunControl control) {
        for (int attempt = 1; ; attempt++) {
            try {
                publisher.publishStatus(status);
                if (attempt > 1) {
                    LOG.infof("run %s: %s status published at try %d", status.runId(), status.state(), attempt);
                }
                return true;
            } catch (IllegalStateException e) {
                StopRequest stop = control == null ? null : control.poll();
                boolean suspending = stop != null && stop.suspend();
                if (suspending || Thread.currentThread().isInterrupted()) {
                    LOG.errorf("run %s: giving up publishing its %s status (%s); its next delivery publishes it",
                            status.runId(), status.state(), e.getMessage());
                    return false;
                }
                LOG.warnf("run %s: %s; trying again", status.runId(), e.getMessage());
                try {
                    Thread.sleep(STATUS_RETRY_PAUSE.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    private RunStatusChanged status(RunRequested request, RunState state, RunOutcome outcome, int attempt, Integer batch,
                                    Double lr, String reason, Long reachedTargetAt) {
        return new RunStatusChanged(Event.SCHEMA_VERSION, request.runId(), request.sweepId(), Instant.now(), state, attempt,
                trainerId, batch, lr, reason, request.run(), request.sweep(), outcome, reachedTargetAt);
    }

    private static String unexpected(String what, RuntimeException e) {
        return what + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String defaultTrainerId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "trainer";
            }
        }
        byte[] suffix = new byte[3];
        ThreadLocalRandom.current().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}

package dev.batchscope.trainer.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.trainer.config.TrainerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a run's events, keyed by run id, through the idempotent producers of the status and metrics
 * channels. Metric events are sent without waiting for each acknowledgement, so training does not stall on
 * the broker's round trip; a semaphore bounds the unacknowledged ones, which is the back-pressure that keeps a
 * fast model from outrunning Kafka. Status events wait for their acknowledgement: a run's record is only
 * acknowledged after its final status is durable.
 * <p>
 * Every event Kafka acknowledges counts in {@code batchscope_trainer_events_sent_total{type}}, every one it refuses in
 * {@code batchscope_trainer_events_refused_total{type}}: what the metrics-service aggregated can be checked against
 * what the trainers sent.
 */
@ApplicationScoped
public class RunEventPublisher {
    private static final Logger LOG = Logger.getLogger(RunEventPublisher.class);
    private static final String SENT = "batchscope.trainer.events.sent";
    private static final String REFUSED = "batchscope.trainer.events.refused";

    private final Emitter<Event> status;
    private final Emitter<Event> metrics;
    private final Semaphore unacknowledged;
    private final Duration publishTimeout;
    private final AtomicLong failedMetrics = new AtomicLong();
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Inject
    public RunEventPublisher(@Channel(TrainerChannels.RUN_STATUS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
                             Emitter<Event> status,
                             @Channel(TrainerChannels.RUN_METRICS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                             Emitter<Event> metrics,
                             TrainerConfig config, MeterRegistry meters) {
        this.meters = meters;
        this.status = status;
        this.metrics = metrics;
        this.unacknowledged = new Semaphore(config.trainer().maxUnacknowledgedEvents());
        this.publishTimeout = config.trainer().publishTimeout();
    }

    /** Sends a status event and waits until Kafka has it. */
    public void publishStatus(RunStatusChanged event) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        status.send(keyed(event)
                .withAck(() -> {
                    count(SENT, event);
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    count(REFUSED, event);
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        try {
            acknowledged.get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the " + event.state() + " status of run " + event.runId()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the " + event.state() + " status of run "
                    + event.runId() + " within " + publishTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the status of run " + event.runId(), e);
        }
    }

    /** A stream for one run's metric events, so that the run can wait for its own events only. */
    public MetricsStream metricsStream() {
        return new MetricsStream();
    }

    /** One run's metric events in flight. */
    public final class MetricsStream {
        private int pending;

        /** Sends a metrics event; blocks only while too many events (of all runs) are unacknowledged. */
        public void publish(Event event) {
            try {
                unacknowledged.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing metrics of run " + event.runId(), e);
            }
            synchronized (this) {
                pending++;
            }
            metrics.send(keyed(event)
                    .withAck(() -> {
                        count(SENT, event);
                        settled();
                        return CompletableFuture.completedFuture(null);
                    })
                    .withNack(failure -> {
                        count(REFUSED, event);
                        settled();
                        if (failedMetrics.getAndIncrement() % 1000 == 0) {
                            LOG.warnf("Kafka refused a %s event of run %s: %s", event.type(), event.runId(), failure.getMessage());
                        }
                        return CompletableFuture.completedFuture(null);
                    }));
        }

        /** Waits until every event of this stream is acknowledged (or refused); false on timeout. */
        public boolean await() {
            long deadline = System.nanoTime() + publishTimeout.toNanos();
            synchronized (this) {
                try {
                    long left;
                    while (pending > 0 && (left = deadline - System.nanoTime()) > 0) {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (pending > 0) {
                    LOG.warnf("%d metrics events still unacknowledged after %s", pending, publishTimeout);
                }
                return pending == 0;
            }
        }

        private void settled() {
            unacknowledged.release();
            synchronized (this) {
                pending--;
                notifyAll();
            }
        }
    }

    /** Metric events Kafka refused since start. */
    public long failedMetrics() {
        return failedMetrics.get();
    }

    /** Counted on every metric event's acknowledgement: the counters are looked up once per name and type. */
    private void count(String counter, Event event) {
        counters.computeIfAbsent(counter + '/' + event.type(), key -> meters.counter(counter, "type", event.type()))
                .increment();
    }

    private static Message<Event> keyed(Event event) {
        return Message.<Event>of(event).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build());
    }
}

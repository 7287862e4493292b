package dev.batchscope.metrics.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The service's own health: events consumed and rejected, runs tracked, delay from emit to consumed. */
@ApplicationScoped
public class ServiceMetrics {
    /** Why an event was not applied; a fixed set, so the reason label stays bounded. */
    public static final String REJECTED_INVALID = "invalid";

    private final MeterRegistry registry;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Timer delay;
    private final AtomicInteger trackedRuns = new AtomicInteger();

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delay = Timer.builder(MeterNames.EVENT_DELAY)
                .description("Time from an event's emittedAt to its being applied (live events only, not replays)")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofSeconds(60))
                .register(registry);
        Gauge.builder(MeterNames.TRACKED_RUNS, trackedRuns, AtomicInteger::get)
                .description("Runs held by this replica (status of every run, metrics of its partitions)")
                .register(registry);
    }

    /** Counts {@code n} valid events of {@code type} read from a topic. */
    public void consumed(String type, long n) {
        if (n > 0) {
            consumed.computeIfAbsent(type, t -> Counter.builder(MeterNames.EVENTS_CONSUMED)
                    .description("Valid events read from batchscope topics, by event type")
                    .tag("type", LabelValues.sanitize(t)).register(registry)).increment(n);
        }
    }

    /** Counts {@code n} events that were not applied, by reason (invalid, duplicate, stale_attempt, ...). */
    public void rejected(String reason, long n) {
        if (n > 0) {
            rejected.computeIfAbsent(reason, r -> Counter.builder(MeterNames.EVENTS_REJECTED)
                    .description("Events not applied, by reason")
                    .tag("reason", r).register(registry)).increment(n);
        }
    }

    public void delay(long nanos) {
        delay.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void trackedRuns(int n) {
        trackedRuns.set(n);
    }
}

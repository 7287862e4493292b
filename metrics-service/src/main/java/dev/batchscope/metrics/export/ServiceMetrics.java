package dev.batchscope.metrics.export;

import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.service.metrics.EventDelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's own health: events consumed, dead-lettered and skipped, runs tracked, delay from emit to consumed.
 * The dead-letter and skip counters exist from the start at 0 for every reason of their fixed sets: a counter that
 * appears with its first increment hides that increment from {@code increase()}, and the rejection alert would miss
 * the first burst of each reason.
 */
@ApplicationScoped
public class ServiceMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<DeadLetterReason, Counter> deadLettered = new EnumMap<>(DeadLetterReason.class);
    private final Map<Store.Verdict, Counter> skipped = new EnumMap<>(Store.Verdict.class);
    private final Timer delay;
    private final AtomicInteger trackedRuns = new AtomicInteger();

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.delay = EventDelay.register(registry);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettered.put(reason, Counter.builder(ExportedMetric.EVENTS_DEAD_LETTERED.meterName())
                    .description(ExportedMetric.EVENTS_DEAD_LETTERED.description())
                    .tag("reason", reason.label()).register(registry));
        }
        for (Store.Verdict verdict : Store.Verdict.values()) {
            if (skips(verdict)) {
                skipped.put(verdict, Counter.builder(ExportedMetric.EVENTS_SKIPPED.meterName())
                        .description(ExportedMetric.EVENTS_SKIPPED.description())
                        .tag("reason", verdict.reason()).register(registry));
            }
        }
        Gauge.builder(ExportedMetric.TRACKED_RUNS.meterName(), trackedRuns, AtomicInteger::get)
                .description(ExportedMetric.TRACKED_RUNS.description())
                .register(registry);
    }

    /**
     * Whether a verdict means a valid event that changes nothing (a redelivery, an older attempt, a run no longer
     * held). Those are normal in an at-least-once pipeline and never reach the DLQ.
     */
    public static boolean skips(Store.Verdict verdict) {
        return verdict != Store.Verdict.APPLIED && verdict != Store.Verdict.UNEXPECTED_TYPE;
    }

    /** Counts {@code n} valid events of {@code type} read from a topic. */
    public void consumed(String type, long n) {
        if (n > 0) {
            consumed.computeIfAbsent(type, t -> Counter.builder(ExportedMetric.EVENTS_CONSUMED.meterName())
                    .description(ExportedMetric.EVENTS_CONSUMED.description())
                    .tag("type", LabelValues.sanitize(t)).register(registry)).increment(n);
        }
    }

    /** Counts {@code n} records this replica sent to batchscope.dlq. */
    public void deadLettered(DeadLetterReason reason, long n) {
        if (n > 0) {
            deadLettered.get(reason).increment(n);
        }
    }

    /** Counts {@code n} valid events that were not applied because they change nothing. */
    public void skipped(Store.Verdict verdict, long n) {
        Counter counter = skipped.get(verdict);
        if (counter == null) {
            throw new IllegalArgumentException(verdict + " is not a skip");
        }
        if (n > 0) {
            counter.increment(n);
        }
    }

    public void delay(long nanos) {
        delay.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void trackedRuns(int n) {
        trackedRuns.set(n);
    }
}

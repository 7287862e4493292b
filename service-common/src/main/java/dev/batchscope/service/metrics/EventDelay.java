package dev.batchscope.service.metrics;

import dev.batchscope.events.prometheus.ExportedMetric;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * {@code batchscope_event_delay_seconds}, the one histogram of the delay from an event's {@code emittedAt} to its
 * consumption. Every service that consumes events registers it here, so the name has one type and one set of buckets
 * everywhere (a plain timer would be a summary, whose quantiles cannot be added up across instances).
 */
public final class EventDelay {
    /** From 5 ms to a minute: a live dashboard is fine below a second and lags past 30 s. */
    static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private EventDelay() {
    }

    public static Timer register(MeterRegistry registry) {
        return Timer.builder(ExportedMetric.EVENT_DELAY.meterName())
                .description(ExportedMetric.EVENT_DELAY.description())
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}

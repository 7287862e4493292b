package dev.batchscope.scheduler.metrics;

import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.scheduler.state.SweepStore;
import dev.batchscope.service.metrics.EventDelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;

/**
 * The scheduler's meters (names and types in {@link ExportedMetric}): sweeps submitted, runs requested, cancelled and step-capped (pruning),
 * events consumed, the event delay histogram, and the runs and sweeps it knows by state. Created at start, so every
 * meter is on /q/metrics (at 0) before its first event.
 */
@Startup
@ApplicationScoped
public class SchedulerMetrics {
    private final MeterRegistry registry;
    private final Counter sweepsSubmitted;
    private final Counter runsRequested;
    private final Counter cancelsRequested;
    private final Counter stepCapsRequested;
    private final Timer delay;

    @Inject
    public SchedulerMetrics(MeterRegistry registry, SweepStore store) {
        this.registry = registry;
        this.sweepsSubmitted = counter(ExportedMetric.SWEEPS_SUBMITTED);
        this.runsRequested = counter(ExportedMetric.RUNS_REQUESTED);
        this.cancelsRequested = counter(ExportedMetric.RUNS_CANCEL_REQUESTED);
        this.stepCapsRequested = counter(ExportedMetric.RUNS_STEP_CAP_REQUESTED);
        this.delay = EventDelay.register(registry);
        for (RunState state : RunState.values()) {
            Gauge.builder(ExportedMetric.SCHEDULER_RUNS.meterName(), store, s -> s.runsByState().get(state))
                    .description(ExportedMetric.SCHEDULER_RUNS.description())
                    .tag("state", ExportedMetric.stateLabel(state))
                    .register(registry);
        }
        Gauge.builder(ExportedMetric.SCHEDULER_SWEEPS.meterName(), store, SweepStore::sweepCount)
                .description(ExportedMetric.SCHEDULER_SWEEPS.description()).register(registry);
    }

    private Counter counter(ExportedMetric metric) {
        return Counter.builder(metric.meterName()).description(metric.description()).register(registry);
    }

    public void sweepSubmitted(int runs) {
        sweepsSubmitted.increment();
        runsRequested.increment(runs);
    }

    public void cancelRequested(int runs) {
        cancelsRequested.increment(runs);
    }

    public void stepCapsRequested(int runs) {
        stepCapsRequested.increment(runs);
    }

    public void consumed(String type, Instant emittedAt) {
        Counter.builder(ExportedMetric.EVENTS_CONSUMED.meterName())
                .description(ExportedMetric.EVENTS_CONSUMED.description())
                .tag("type", type).register(registry).increment();
        if (emittedAt != null) {
            Duration d = Duration.between(emittedAt, Instant.now());
            delay.record(d.isNegative() ? Duration.ZERO : d);
        }
    }
}

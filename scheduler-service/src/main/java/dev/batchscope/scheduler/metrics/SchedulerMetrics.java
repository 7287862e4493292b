package dev.batchscope.scheduler.metrics;

import dev.batchscope.events.spec.RunState;
import dev.batchscope.scheduler.state.SweepStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The scheduler's meters. Prometheus names: batchscope_sweeps_submitted_total, batchscope_runs_requested_total,
 * batchscope_runs_cancel_requested_total, batchscope_runs_step_cap_requested_total,
 * batchscope_events_consumed_total{type}, batchscope_event_delay_seconds, batchscope_scheduler_runs{state},
 * batchscope_scheduler_sweeps.
 */
@ApplicationScoped
public class SchedulerMetrics {
    private final MeterRegistry registry;
    private final Counter sweepsSubmitted;
    private final Counter runsRequested;
    private final Counter cancelsRequested;
    private final Counter stepCapsRequested;

    @Inject
    public SchedulerMetrics(MeterRegistry registry, SweepStore store) {
        this.registry = registry;
        this.sweepsSubmitted = Counter.builder("batchscope.sweeps.submitted")
                .description("Sweeps accepted (idempotent replays not counted)").register(registry);
        this.runsRequested = Counter.builder("batchscope.runs.requested")
                .description("RunRequested events published").register(registry);
        this.cancelsRequested = Counter.builder("batchscope.runs.cancel.requested")
                .description("RunCancelled events published").register(registry);
        this.stepCapsRequested = Counter.builder("batchscope.runs.step.cap.requested")
                .description("RunStepCap events published (pruning)").register(registry);
        for (RunState state : RunState.values()) {
            Gauge.builder("batchscope.scheduler.runs", store, s -> s.runsByState().get(state))
                    .description("Runs the scheduler knows, by current state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("batchscope.scheduler.sweeps", store, SweepStore::sweepCount)
                .description("Sweeps the scheduler knows").register(registry);
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
        registry.counter("batchscope.events.consumed", "type", type).increment();
        if (emittedAt != null) {
            Duration delay = Duration.between(emittedAt, Instant.now());
            registry.timer("batchscope.event.delay").record(delay.isNegative() ? Duration.ZERO : delay);
        }
    }
}

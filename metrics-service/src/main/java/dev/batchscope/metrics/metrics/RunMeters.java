package dev.batchscope.metrics.metrics;

import dev.batchscope.events.spec.RunState;
import dev.batchscope.metrics.engine.RunMetrics;
import dev.batchscope.metrics.engine.RunRecord;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus series of one run, registered in groups as their values become known (state first, then training
 * metrics with the first iteration, noise with the first measurement, validation with the first evaluation), so no
 * series sits at NaN for a value that never came. Gauges read the run's live values; nothing is copied per event.
 */
final class RunMeters {
    private final MeterRegistry registry;
    private final RunRecord run;
    final Tags tags;
    private final List<Meter> state = new ArrayList<>();
    private final List<Meter> training = new ArrayList<>();
    private final List<Meter> noise = new ArrayList<>();
    private final List<Meter> validation = new ArrayList<>();

    RunMeters(MeterRegistry registry, RunRecord run, Tags tags) {
        this.registry = registry;
        this.run = run;
        this.tags = tags;
    }

    static Tags tagsOf(RunRecord run) {
        Integer batchSize = run.batchSize();
        if (batchSize == null || run.modelLabel() == null || run.datasetLabel() == null) {
            return null;
        }
        return Tags.of("sweep", LabelValues.sanitize(run.sweepId()), "run", LabelValues.sanitize(run.runId()),
                "batch_size", Integer.toString(batchSize), "model", LabelValues.sanitize(run.modelLabel()),
                "dataset", LabelValues.sanitize(run.datasetLabel()));
    }

    /** Registers the groups whose values are known now. */
    void sync() {
        if (state.isEmpty() && run.state() != null) {
            for (RunState s : RunState.values()) {
                state.add(Gauge.builder(MeterNames.RUN_STATE, run, r -> r.state() == s ? 1 : 0)
                        .description("1 for the run's current state").tags(tags).tag("state", s.wire())
                        .strongReference(true).register(registry));
            }
        }
        RunMetrics m = run.metrics();
        if (m == null) {
            removeAll(training);
            removeAll(noise);
            removeAll(validation);
            return;
        }
        if (training.isEmpty() && m.iteration() > 0) {
            training.add(gauge(MeterNames.TRAIN_LOSS, "Latest mini-batch training loss", RunMetrics::loss));
            training.add(gauge(MeterNames.TRAIN_LOSS_EMA, "EMA of the training loss", RunMetrics::lossEma));
            training.add(gauge(MeterNames.GRADIENT_NORM, "Latest gradient norm", RunMetrics::gradNorm));
            training.add(gauge(MeterNames.LEARNING_RATE, "Latest learning rate", RunMetrics::learningRate));
            training.add(gauge(MeterNames.SAMPLES_PER_SECOND, "Training throughput", RunMetrics::samplesPerSecond));
            training.add(gauge(MeterNames.EPOCH, "Current epoch", RunMetrics::epoch));
            // counters must not go down: a resumed attempt re-sends iterations, the highest one reached counts
            training.add(counter(MeterNames.ITERATIONS, "Iterations reached", RunMetrics::iterationsHighWater));
            training.add(counter(MeterNames.SAMPLES_SEEN, "Training examples seen", RunMetrics::samplesHighWater));
        }
        if (noise.isEmpty() && m.hasNoise()) {
            noise.add(gauge(MeterNames.GRADIENT_VARIANCE, "Latest measured gradient variance (micro-batch spread)",
                    RunMetrics::gradVariance));
            noise.add(gauge(MeterNames.GRADIENT_NOISE_SCALE,
                    "Smoothed gradient noise scale: EMA(traceSigma) / EMA(gradNormSqUnbiased)", RunMetrics::noiseScale));
        }
        if (validation.isEmpty() && m.hasValidation()) {
            validation.add(gauge(MeterNames.VALIDATION_LOSS, "Latest validation loss", RunMetrics::valLoss));
            validation.add(gauge(MeterNames.VALIDATION_ACCURACY, "Latest validation accuracy",
                    RunMetrics::valAccuracy));
        }
    }

    void removeAll() {
        removeAll(state);
        removeAll(training);
        removeAll(noise);
        removeAll(validation);
    }

    private Meter gauge(String name, String description, ToDoubleFunction<RunMetrics> value) {
        return Gauge.builder(name, run, r -> r.metrics() == null ? Double.NaN : value.applyAsDouble(r.metrics()))
                .description(description).tags(tags).strongReference(true).register(registry);
    }

    private Meter counter(String name, String description, ToDoubleFunction<RunMetrics> value) {
        return FunctionCounter.builder(name, run, r -> r.metrics() == null ? 0 : value.applyAsDouble(r.metrics()))
                .description(description).tags(tags).register(registry);
    }

    private void removeAll(List<Meter> meters) {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}

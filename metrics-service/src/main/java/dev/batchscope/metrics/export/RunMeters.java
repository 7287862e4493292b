package dev.batchscope.metrics.export;

import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.events.spec.LearningRateSpec;
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

    /**
     * The run's labels, or null while one of them is unknown (a full batch's size is known once the trainer has read
     * the dataset). They never change after that, so a run keeps its series for its whole life.
     */
    static Tags tagsOf(RunRecord run) {
        Integer batchSize = run.batchSize();
        if (batchSize == null || run.modelLabel() == null || run.datasetLabel() == null) {
            return null;
        }
        return Tags.of("sweep", LabelValues.sanitize(run.sweepId()), "run", LabelValues.sanitize(run.runId()),
                "batch_size", batchSizeLabel(run), "effective_batch_size", Integer.toString(batchSize),
                "learning_rate", LabelValues.number(peakLearningRate(run, batchSize)),
                "model", LabelValues.sanitize(run.modelLabel()), "dataset", LabelValues.sanitize(run.datasetLabel()));
    }

    /** The batch size as the spec asked for it: {@code full}, or the size (then equal to the effective one). */
    static String batchSizeLabel(RunRecord run) {
        boolean full = run.spec() != null && run.spec().batchSize() != null && run.spec().batchSize().isFull();
        return full || run.batchSize() == null ? ExportedMetric.FULL_BATCH : Integer.toString(run.batchSize());
    }

    /**
     * The run's peak learning rate, from its spec and batch size (known as soon as the batch size is, so the label is
     * stable from the first series on); the trainer's report where the spec does not tell.
     */
    private static Double peakLearningRate(RunRecord run, int batchSize) {
        LearningRateSpec lr = run.spec() == null ? null : run.spec().learningRate();
        if (lr != null && lr.base() != null) {
            return lr.forBatchSize(batchSize);
        }
        return run.learningRate();
    }

    /** Registers the groups whose values are known now. */
    void sync() {
        if (state.isEmpty() && run.state() != null) {
            for (RunState s : RunState.values()) {
                state.add(Gauge.builder(ExportedMetric.RUN_STATE.meterName(), run, r -> r.state() == s ? 1 : 0)
                        .description(ExportedMetric.RUN_STATE.description()).tags(tags)
                        .tag("state", ExportedMetric.stateLabel(s))
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
            training.add(gauge(ExportedMetric.TRAIN_LOSS, RunMetrics::loss));
            training.add(gauge(ExportedMetric.TRAIN_LOSS_EMA, RunMetrics::lossEma));
            training.add(gauge(ExportedMetric.GRADIENT_NORM, RunMetrics::gradNorm));
            training.add(gauge(ExportedMetric.LEARNING_RATE, RunMetrics::learningRate));
            training.add(gauge(ExportedMetric.EPOCH, RunMetrics::epoch));
            // counters must not go down: a resumed attempt re-sends iterations, the highest one reached counts.
            // Throughput is rate() of samples seen: a gauge of it would keep its last value after the run ended.
            training.add(counter(ExportedMetric.ITERATIONS, RunMetrics::iterationsHighWater));
            training.add(counter(ExportedMetric.SAMPLES_SEEN, RunMetrics::samplesHighWater));
        }
        if (noise.isEmpty() && m.hasNoise()) {
            noise.add(gauge(ExportedMetric.GRADIENT_VARIANCE, RunMetrics::gradVariance));
            noise.add(gauge(ExportedMetric.GRADIENT_NOISE_SCALE, RunMetrics::noiseScale));
        }
        if (validation.isEmpty() && m.hasValidation()) {
            validation.add(gauge(ExportedMetric.VALIDATION_LOSS, RunMetrics::valLoss));
            validation.add(gauge(ExportedMetric.VALIDATION_ACCURACY, RunMetrics::valAccuracy));
        }
    }

    void removeAll() {
        removeAll(state);
        removeAll(training);
        removeAll(noise);
        removeAll(validation);
    }

    private Meter gauge(ExportedMetric metric, ToDoubleFunction<RunMetrics> value) {
        return Gauge.builder(metric.meterName(), run,
                        r -> r.metrics() == null ? Double.NaN : value.applyAsDouble(r.metrics()))
                .description(metric.description()).tags(tags).strongReference(true).register(registry);
    }

    private Meter counter(ExportedMetric metric, ToDoubleFunction<RunMetrics> value) {
        return FunctionCounter.builder(metric.meterName(), run,
                        r -> r.metrics() == null ? 0 : value.applyAsDouble(r.metrics()))
                .description(metric.description()).tags(tags).register(registry);
    }

    private void removeAll(List<Meter> meters) {
        for (Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}

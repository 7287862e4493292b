package dev.batchscope.metrics.metrics;

/**
 * Micrometer names of the exported meters. Prometheus turns dots into underscores, appends {@code _total} to
 * counters and {@code _seconds} to timers, so these produce exactly the names of docs/design.md#8-metrics
 * (batchscope.iterations, a function counter, becomes batchscope_iterations_total).
 */
public final class MeterNames {
    public static final String TRAIN_LOSS = "batchscope.train.loss";
    public static final String TRAIN_LOSS_EMA = "batchscope.train.loss.ema";
    public static final String GRADIENT_NORM = "batchscope.gradient.norm";
    public static final String GRADIENT_VARIANCE = "batchscope.gradient.variance";
    public static final String GRADIENT_NOISE_SCALE = "batchscope.gradient.noise.scale";
    public static final String LEARNING_RATE = "batchscope.learning.rate";
    public static final String ITERATIONS = "batchscope.iterations";
    public static final String SAMPLES_SEEN = "batchscope.samples.seen";
    public static final String SAMPLES_PER_SECOND = "batchscope.samples.per.second";
    public static final String EPOCH = "batchscope.epoch";
    public static final String VALIDATION_LOSS = "batchscope.validation.loss";
    public static final String VALIDATION_ACCURACY = "batchscope.validation.accuracy";
    public static final String RUN_STATE = "batchscope.run.state";

    public static final String SWEEP_CRITICAL_BATCH_SIZE = "batchscope.sweep.critical.batch.size";
    public static final String SWEEP_MIN_STEPS = "batchscope.sweep.min.steps";
    public static final String SWEEP_MIN_SAMPLES = "batchscope.sweep.min.samples";
    public static final String SWEEP_STEPS_TO_TARGET = "batchscope.sweep.steps.to.target";
    public static final String SWEEP_SAMPLES_TO_TARGET = "batchscope.sweep.samples.to.target";

    public static final String EVENTS_CONSUMED = "batchscope.events.consumed";
    public static final String EVENTS_REJECTED = "batchscope.events.rejected";
    public static final String TRACKED_RUNS = "batchscope.tracked.runs";
    public static final String EVENT_DELAY = "batchscope.event.delay";

    private MeterNames() {
    }
}

package dev.batchscope.events.prometheus;

import dev.batchscope.events.spec.RunState;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every {@code batchscope_*} metric the three services export (docs/design.md#8-metrics): its Micrometer meter name,
 * its one Prometheus type, its labels and the services that export it. The services register their meters under
 * {@link #meterName()}; the infra checks derive the names that dashboards and rules may use from {@link
 * #prometheusSeries()}, and a test of each service compares its real {@code /q/metrics} with this list. So a name
 * lives here once.
 *
 * <p>Conventions (Prometheus naming): counters end in {@code _total} (Micrometer appends it), durations are histograms
 * in seconds, ratios end in {@code _ratio}, label values are lower case, a rate is a {@code rate()} of a counter and
 * never a gauge of its own.
 */
public enum ExportedMetric {
    // per run (metrics-service); a run is exported while its partition is owned here and for a while after it ended
    TRAIN_LOSS("batchscope.train.loss", Type.GAUGE, Labels.RUN, "Latest mini-batch training loss", Service.METRICS),
    TRAIN_LOSS_EMA("batchscope.train.loss.ema", Type.GAUGE, Labels.RUN, "EMA of the training loss", Service.METRICS),
    GRADIENT_NORM("batchscope.gradient.norm", Type.GAUGE, Labels.RUN, "Latest gradient norm", Service.METRICS),
    GRADIENT_VARIANCE("batchscope.gradient.variance", Type.GAUGE, Labels.RUN,
            "Latest measured gradient variance (micro-batch spread)", Service.METRICS),
    GRADIENT_NOISE_SCALE("batchscope.gradient.noise.scale", Type.GAUGE, Labels.RUN,
            "Smoothed gradient noise scale B_simple: EMA(traceSigma) / EMA(gradNormSqUnbiased)", Service.METRICS),
    LEARNING_RATE("batchscope.learning.rate", Type.GAUGE, Labels.RUN,
            "Latest learning rate (after scaling and warmup)", Service.METRICS),
    ITERATIONS("batchscope.iterations", Type.COUNTER, Labels.RUN, "Iterations reached", Service.METRICS),
    SAMPLES_SEEN("batchscope.samples.seen", Type.COUNTER, Labels.RUN,
            "Training examples seen; throughput is its rate()", Service.METRICS),
    EPOCH("batchscope.epoch", Type.GAUGE, Labels.RUN, "Current epoch", Service.METRICS),
    VALIDATION_LOSS("batchscope.validation.loss", Type.GAUGE, Labels.RUN, "Latest validation loss", Service.METRICS),
    VALIDATION_ACCURACY("batchscope.validation.accuracy.ratio", Type.GAUGE, Labels.RUN,
            "Latest validation accuracy, 0 to 1", Service.METRICS),
    RUN_STATE("batchscope.run.state", Type.GAUGE, Labels.RUN_STATE,
            "1 for the run's current state, 0 for every other state", Service.METRICS),

    // per sweep (metrics-service): only the replica that holds every run of the sweep exports these
    SWEEP_INFO("batchscope.sweep.info", Type.GAUGE, List.of("sweep", "name"),
            "1 per sweep, with its name: join on sweep for legends", Service.METRICS),
    SWEEP_CREATED("batchscope.sweep.created.timestamp.seconds", Type.GAUGE, List.of("sweep"),
            "When the scheduler accepted the sweep, seconds since the epoch", Service.METRICS),
    SWEEP_TARGET_LOSS("batchscope.sweep.target.loss", Type.GAUGE, List.of("sweep"),
            "The loss that counts as reached", Service.METRICS),
    SWEEP_CRITICAL_BATCH_SIZE("batchscope.sweep.critical.batch.size", Type.GAUGE, List.of("sweep"),
            "Fitted critical batch size B_crit = E_min / S_min", Service.METRICS),
    SWEEP_MIN_STEPS("batchscope.sweep.min.steps", Type.GAUGE, List.of("sweep"),
            "Fitted S_min: steps to the target with an unlimited batch", Service.METRICS),
    SWEEP_MIN_SAMPLES("batchscope.sweep.min.samples", Type.GAUGE, List.of("sweep"),
            "Fitted E_min: samples to the target with a batch of one", Service.METRICS),
    SWEEP_NOISE_SCALE("batchscope.sweep.noise.scale", Type.GAUGE, List.of("sweep"),
            "B_simple over the sweep: the mean of its runs' smoothed gradient noise scales", Service.METRICS),
    SWEEP_STEPS_TO_TARGET("batchscope.sweep.steps.to.target", Type.GAUGE, Labels.SWEEP_BATCH_SIZE,
            "Lag-corrected steps to the target loss at the batch size's best learning rate, mean over seeds",
            Service.METRICS),
    SWEEP_SAMPLES_TO_TARGET("batchscope.sweep.samples.to.target", Type.GAUGE, Labels.SWEEP_BATCH_SIZE,
            "Samples to the target loss at the batch size's best learning rate: its steps times the batch size",
            Service.METRICS),

    // service health
    EVENTS_CONSUMED("batchscope.events.consumed", Type.COUNTER, List.of("type"),
            "Valid events read from batchscope topics, by event type", Service.SCHEDULER, Service.METRICS),
    EVENTS_DEAD_LETTERED("batchscope.events.dead.lettered", Type.COUNTER, List.of("reason"),
            "Records this replica sent to batchscope.dlq, by reason (invalid, unexpected_type, error)",
            Service.METRICS),
    EVENTS_SKIPPED("batchscope.events.skipped", Type.COUNTER, List.of("reason"),
            "Valid events not applied because they change nothing, by reason (duplicate, stale_attempt, evicted)",
            Service.METRICS),
    TRACKED_RUNS("batchscope.tracked.runs", Type.GAUGE, List.of(),
            "Runs held by this replica (status of every run, metrics of its partitions)", Service.METRICS),
    EVENT_DELAY("batchscope.event.delay", Type.HISTOGRAM, List.of(),
            "Time from an event's emittedAt to its being applied (live events only, not replays)",
            Service.SCHEDULER, Service.METRICS),
    BUILD_INFO("batchscope.build.info", Type.GAUGE, List.of("version"),
            "1, labelled with the service's version: which jobs are batchscope's", Service.SCHEDULER,
            Service.TRAINER, Service.METRICS),

    // scheduler
    SWEEPS_SUBMITTED("batchscope.sweeps.submitted", Type.COUNTER, List.of(),
            "Sweeps accepted (idempotent replays not counted)", Service.SCHEDULER),
    RUNS_REQUESTED("batchscope.runs.requested", Type.COUNTER, List.of(), "RunRequested events published",
            Service.SCHEDULER),
    RUNS_CANCEL_REQUESTED("batchscope.runs.cancel.requested", Type.COUNTER, List.of(),
            "RunCancelled events published", Service.SCHEDULER),
    RUNS_STEP_CAP_REQUESTED("batchscope.runs.step.cap.requested", Type.COUNTER, List.of(),
            "RunStepCap events published (pruning)", Service.SCHEDULER),
    SCHEDULER_RUNS("batchscope.scheduler.runs", Type.GAUGE, List.of("state"),
            "Runs the scheduler knows, by current state", Service.SCHEDULER),
    SCHEDULER_SWEEPS("batchscope.scheduler.sweeps", Type.GAUGE, List.of(), "Sweeps the scheduler knows",
            Service.SCHEDULER),

    // trainer
    TRAINER_EVENTS_SENT("batchscope.trainer.events.sent", Type.COUNTER, List.of("type"),
            "Events Kafka acknowledged, by event type", Service.TRAINER),
    TRAINER_EVENTS_REFUSED("batchscope.trainer.events.refused", Type.COUNTER, List.of("type"),
            "Events Kafka refused, by event type", Service.TRAINER),
    TRAINER_RUNS("batchscope.trainer.runs", Type.COUNTER, List.of("outcome"),
            "Runs this trainer stopped working on, by outcome", Service.TRAINER);

    /** The Prometheus type of a name; one type per name. */
    public enum Type {
        GAUGE, COUNTER, HISTOGRAM
    }

    /** The services, by their job name (the Kubernetes Service and the compose service). */
    public enum Service {
        SCHEDULER("scheduler-service"), TRAINER("trainer-service"), METRICS("metrics-service");

        private final String job;

        Service(String job) {
            this.job = job;
        }

        public String job() {
            return job;
        }
    }

    /** Label sets shared by several metrics. */
    public static final class Labels {
        /**
         * Every per-run series: {@code batch_size} as requested ({@code "full"} for a full batch), {@code
         * effective_batch_size} the examples per step, {@code learning_rate} the run's peak learning rate (one line per
         * candidate in a tuned study).
         */
        public static final List<String> RUN = List.of("sweep", "run", "batch_size", "effective_batch_size",
                "learning_rate", "model", "dataset");
        public static final List<String> RUN_STATE = List.of("sweep", "run", "batch_size", "effective_batch_size",
                "learning_rate", "model", "dataset", "state");
        public static final List<String> SWEEP_BATCH_SIZE = List.of("sweep", "batch_size", "effective_batch_size");

        private Labels() {
        }
    }

    private final String meterName;
    private final Type type;
    private final List<String> labels;
    private final String description;
    private final Set<Service> services;

    ExportedMetric(String meterName, Type type, List<String> labels, String description, Service... services) {
        this.meterName = meterName;
        this.type = type;
        this.labels = labels;
        this.description = description;
        this.services = Set.of(services);
    }

    /** The name to register with Micrometer (dotted). */
    public String meterName() {
        return meterName;
    }

    public Type type() {
        return type;
    }

    public List<String> labels() {
        return labels;
    }

    public String description() {
        return description;
    }

    public Set<Service> services() {
        return services;
    }

    /**
     * The name in Prometheus, as Micrometer's Prometheus registry writes it: dots become underscores, a counter gets
     * {@code _total}, a timer is in {@code _seconds}. This is the name of the {@code # TYPE} line.
     */
    public String prometheusName() {
        String base = meterName.replace('.', '_');
        return type == Type.HISTOGRAM ? base + "_seconds" : base;
    }

    /**
     * The series names a query can select: a counter's {@code _total}; a histogram's {@code _bucket}, {@code _sum},
     * {@code _count} and Micrometer's {@code _max} gauge.
     */
    public List<String> prometheusSeries() {
        String name = prometheusName();
        return switch (type) {
            case GAUGE -> List.of(name);
            case COUNTER -> List.of(name + "_total");
            case HISTOGRAM -> List.of(name + "_bucket", name + "_sum", name + "_count", name + "_max");
        };
    }

    /** The metric whose Prometheus series include {@code series}, or null. */
    public static ExportedMetric ofSeries(String series) {
        return Arrays.stream(values()).filter(m -> m.prometheusSeries().contains(series)).findFirst().orElse(null);
    }

    /** The metric whose {@code # TYPE} line names {@code name}, or null. */
    public static ExportedMetric ofPrometheusName(String name) {
        return Arrays.stream(values()).filter(m -> m.prometheusName().equals(name)
                // Micrometer's timer max is a gauge of its own under the histogram's name + _max
                || (m.type == Type.HISTOGRAM && (m.prometheusName() + "_max").equals(name))).findFirst().orElse(null);
    }

    /** A run state as a label value: lower case, like every batchscope label value. */
    public static String stateLabel(RunState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The {@code batch_size} label of a full batch; its size is in {@code effective_batch_size}. */
    public static final String FULL_BATCH = "full";
}

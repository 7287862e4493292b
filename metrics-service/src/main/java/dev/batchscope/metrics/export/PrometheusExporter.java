package dev.batchscope.metrics.export;

import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.metrics.analysis.SweepSummary;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.SweepRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps the Prometheus series in step with the store. Every replica holds every run, but a run is exported only by
 * the replica that owns its metrics partition in the replicas' shared group (so Prometheus sees each run once), once
 * its labels are known (batch size, model, dataset: they come with the status events) and until it has been finished
 * for longer than the configured time. Called only under the Aggregator's lock.
 */
public final class PrometheusExporter {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration finishedRunTtl;
    private final Map<String, RunMeters> runs = new HashMap<>();
    private final Map<String, SweepMeters> sweeps = new HashMap<>();
    private final Set<Integer> ownedPartitions = new HashSet<>();

    public PrometheusExporter(MeterRegistry registry, Clock clock, Duration finishedRunTtl) {
        this.registry = registry;
        this.clock = clock;
        this.finishedRunTtl = finishedRunTtl;
    }

    /** This replica exports the runs of {@code partitions} from now on; {@link #resyncAll} registers them. */
    public void own(Collection<Integer> partitions) {
        ownedPartitions.addAll(partitions);
    }

    /** Another replica exports the runs of {@code partitions}; {@link #resyncAll} removes them here. */
    public void disown(Collection<Integer> partitions) {
        ownedPartitions.removeAll(partitions);
    }

    public Set<Integer> ownedPartitions() {
        return Set.copyOf(ownedPartitions);
    }

    /** Brings the series of changed and removed runs up to date. */
    public void apply(Store store, Store.Changes changes) {
        Instant now = clock.instant();
        for (RunRecord run : changes.removed()) {
            RunMeters meters = runs.remove(run.runId());
            if (meters != null) {
                meters.removeAll();
            }
        }
        for (RunRecord run : changes.touched()) {
            sync(store, run, now);
        }
    }

    /**
     * Re-checks every run, which is how finished runs leave Prometheus once their time is up.
     *
     * @return the sweeps of the runs that left, whose sweep-level series may have to go too
     */
    public Set<String> resyncAll(Store store) {
        Instant now = clock.instant();
        Set<String> changed = new HashSet<>();
        for (RunRecord run : store.runs()) {
            boolean before = runs.containsKey(run.runId());
            sync(store, run, now);
            if (before != runs.containsKey(run.runId())) {
                changed.add(run.sweepId());
            }
        }
        for (Iterator<Map.Entry<String, RunMeters>> it = runs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, RunMeters> entry = it.next();
            if (store.run(entry.getKey()) == null) {
                entry.getValue().removeAll();
                it.remove();
            }
        }
        return changed;
    }

    private void sync(Store store, RunRecord run, Instant now) {
        RunMeters meters = runs.get(run.runId());
        Tags tags = exported(store, run, now) ? RunMeters.tagsOf(run) : null;
        if (meters != null && !meters.tags.equals(tags)) {
            meters.removeAll();
            runs.remove(run.runId());
            meters = null;
        }
        if (tags == null) {
            return;
        }
        if (meters == null) {
            meters = new RunMeters(registry, run, tags);
            runs.put(run.runId(), meters);
        }
        meters.sync();
    }

    boolean exported(Store store, RunRecord run, Instant now) {
        if (!ownedPartitions.contains(run.partition())) {
            return false;
        }
        return !expired(run, now);
    }

    private boolean expired(RunRecord run, Instant now) {
        return run.finished() && run.finishedAt() != null && run.finishedAt().plus(finishedRunTtl).isBefore(now);
    }

    /**
     * Updates the sweep's series. Its info and creation time are exported by every replica that knows the sweep (all
     * of them read everything; queries take the max over instances), so the dashboards' sweep variable works with
     * several replicas too. The aggregates need every run of the sweep, and come from one replica only: the one
     * that exports the sweep's first run (by run id), so that a sum over instances does not count the sweep twice.
     * All go when every run of the sweep has expired.
     */
    public void applySweep(Store store, SweepRecord sweep, SweepSummary summary) {
        Instant now = clock.instant();
        boolean live = sweep.runs().stream().anyMatch(r -> !expired(r, now));
        SweepMeters meters = sweeps.get(sweep.sweepId());
        if (!live) {
            if (meters != null) {
                meters.removeAll();
                sweeps.remove(sweep.sweepId());
            }
            return;
        }
        if (meters == null) {
            meters = new SweepMeters(registry, sweep);
            sweeps.put(sweep.sweepId(), meters);
        } else {
            meters.identify(sweep);
        }
        if (summary != null && summary.complete() && exportsAggregates(sweep)) {
            meters.update(sweep, summary);
        } else {
            meters.removeAnalysis();
        }
    }

    /** Whether this replica exports the sweep's first run, which makes it the one to export the sweep's aggregates. */
    private boolean exportsAggregates(SweepRecord sweep) {
        RunRecord first = null;
        for (RunRecord run : sweep.runs()) {
            if (first == null || run.runId().compareTo(first.runId()) < 0) {
                first = run;
            }
        }
        return first != null && ownedPartitions.contains(first.partition());
    }

    /** A sweep that is no longer held at all. */
    public void removeSweep(String sweepId) {
        SweepMeters meters = sweeps.remove(sweepId);
        if (meters != null) {
            meters.removeAll();
        }
    }

    /**
     * The sweep-level gauges; their values live here and are replaced by each analysis. The info and creation time
     * come with the sweep; the others register with their first known value, so none sits at NaN for a value that
     * never came.
     */
    private static final class SweepMeters {
        private final MeterRegistry registry;
        private final String sweepId;
        private final List<Meter> identity = new ArrayList<>();
        private final List<Meter> meters = new ArrayList<>();
        private final Map<Integer, double[]> toTarget = new HashMap<>();
        private final Map<ExportedMetric, double[]> values = new EnumMap<>(ExportedMetric.class);
        private String identifiedName;
        private Instant identifiedAt;

        SweepMeters(MeterRegistry registry, SweepRecord sweep) {
            this.registry = registry;
            this.sweepId = LabelValues.sanitize(sweep.sweepId());
            identify(sweep);
        }

        /**
         * (Re)registers the info and creation time when they change: the metrics of a run can arrive before the status
         * that names its sweep, and a gauge's labels are fixed once registered.
         */
        void identify(SweepRecord sweep) {
            String name = LabelValues.sanitize(sweep.name());
            Instant created = sweep.createdAt();
            if (!identity.isEmpty() && name.equals(identifiedName) && Objects.equals(created, identifiedAt)) {
                return;
            }
            removeIdentity();
            identifiedName = name;
            identifiedAt = created;
            identity.add(Gauge.builder(ExportedMetric.SWEEP_INFO.meterName(), () -> 1)
                    .description(ExportedMetric.SWEEP_INFO.description())
                    .tags("sweep", sweepId, "name", name)
                    .strongReference(true).register(registry));
            if (created != null) {
                double seconds = created.toEpochMilli() / 1000.0;
                identity.add(Gauge.builder(ExportedMetric.SWEEP_CREATED.meterName(), () -> seconds)
                        .description(ExportedMetric.SWEEP_CREATED.description()).tag("sweep", sweepId)
                        .strongReference(true).register(registry));
            }
        }

        void update(SweepRecord sweep, SweepSummary summary) {
            SweepSummary.Fit fit = summary.fit();
            set(ExportedMetric.SWEEP_TARGET_LOSS, summary.target() == null ? null : summary.target().loss());
            set(ExportedMetric.SWEEP_NOISE_SCALE, summary.noiseScale());
            set(ExportedMetric.SWEEP_CRITICAL_BATCH_SIZE, fit == null ? null : fit.bCrit());
            set(ExportedMetric.SWEEP_MIN_STEPS, fit == null ? null : fit.sMin());
            set(ExportedMetric.SWEEP_MIN_SAMPLES, fit == null ? null : fit.eMin());
            for (SweepSummary.BatchSizeRow row : summary.batchSizes()) {
                if (row.stepsToTarget() == null || row.samplesToTarget() == null) {
                    continue;
                }
                double[] v = toTarget.get(row.batchSize());
                if (v == null) {
                    double[] created = new double[2];
                    v = created;
                    toTarget.put(row.batchSize(), created);
                    Tags tags = Tags.of("sweep", sweepId, "batch_size", requestedBatchSize(sweep, row.batchSize()),
                            "effective_batch_size", Integer.toString(row.batchSize()));
                    meters.add(Gauge.builder(ExportedMetric.SWEEP_STEPS_TO_TARGET.meterName(), created, x -> x[0])
                            .description(ExportedMetric.SWEEP_STEPS_TO_TARGET.description()).tags(tags)
                            .strongReference(true).register(registry));
                    meters.add(Gauge.builder(ExportedMetric.SWEEP_SAMPLES_TO_TARGET.meterName(), created, x -> x[1])
                            .description(ExportedMetric.SWEEP_SAMPLES_TO_TARGET.description()).tags(tags)
                            .strongReference(true).register(registry));
                }
                v[0] = row.stepsToTarget();
                v[1] = row.samplesToTarget();
            }
        }

        /** Sets a sweep gauge, registering it with its first known value; NaN once the value is unknown again. */
        private void set(ExportedMetric metric, Double value) {
            double[] holder = values.get(metric);
            if (holder == null) {
                if (value == null) {
                    return;
                }
                double[] created = new double[1];
                holder = created;
                values.put(metric, created);
                meters.add(Gauge.builder(metric.meterName(), created, x -> x[0])
                        .description(metric.description()).tag("sweep", sweepId)
                        .strongReference(true).register(registry));
            }
            holder[0] = value == null ? Double.NaN : value;
        }

        /** The batch_size label of the runs with this effective size: {@code full} when they asked for it. */
        private static String requestedBatchSize(SweepRecord sweep, int effective) {
            for (RunRecord run : sweep.runs()) {
                if (run.batchSize() != null && run.batchSize() == effective) {
                    return RunMeters.batchSizeLabel(run);
                }
            }
            return Integer.toString(effective);
        }

        /** The aggregates go (this replica no longer holds the whole sweep); the info stays. */
        void removeAnalysis() {
            for (Meter meter : meters) {
                registry.remove(meter);
            }
            meters.clear();
            toTarget.clear();
            values.clear();
        }

        void removeAll() {
            removeAnalysis();
            removeIdentity();
        }

        private void removeIdentity() {
            for (Meter meter : identity) {
                registry.remove(meter);
            }
            identity.clear();
        }
    }
}

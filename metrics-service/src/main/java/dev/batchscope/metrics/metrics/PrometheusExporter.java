package dev.batchscope.metrics.metrics;

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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the Prometheus series in step with the store. A run is exported when this replica owns its partition, its
 * labels are known (batch size, model, dataset: they come with the status events) and it has not been finished for
 * longer than the configured time. Called only under the Aggregator's lock.
 */
public final class PrometheusExporter {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration finishedRunTtl;
    private final Map<String, RunMeters> runs = new HashMap<>();
    private final Map<String, SweepMeters> sweeps = new HashMap<>();

    public PrometheusExporter(MeterRegistry registry, Clock clock, Duration finishedRunTtl) {
        this.registry = registry;
        this.clock = clock;
        this.finishedRunTtl = finishedRunTtl;
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
        if (!store.owns(run.partition())) {
            return false;
        }
        return !expired(run, now);
    }

    private boolean expired(RunRecord run, Instant now) {
        return run.finished() && run.finishedAt() != null && run.finishedAt().plus(finishedRunTtl).isBefore(now);
    }

    /**
     * Updates the sweep's aggregates. Only a replica that holds every run of the sweep exports them (with several
     * replicas, each would otherwise publish a different partial fit); they go when all its runs have expired.
     */
    public void applySweep(Store store, SweepRecord sweep, SweepSummary summary) {
        Instant now = clock.instant();
        boolean live = sweep.runs().stream().anyMatch(r -> !expired(r, now));
        SweepMeters meters = sweeps.get(sweep.sweepId());
        if (summary == null || !summary.complete() || !live) {
            if (meters != null) {
                meters.removeAll();
                sweeps.remove(sweep.sweepId());
            }
            return;
        }
        if (meters == null) {
            meters = new SweepMeters(registry, sweep.sweepId());
            sweeps.put(sweep.sweepId(), meters);
        }
        meters.update(summary);
    }

    /** A sweep that is no longer held at all. */
    public void removeSweep(String sweepId) {
        SweepMeters meters = sweeps.remove(sweepId);
        if (meters != null) {
            meters.removeAll();
        }
    }

    /** The sweep-level gauges; their values live here and are replaced by each analysis. */
    private static final class SweepMeters {
        private final MeterRegistry registry;
        private final String sweepId;
        private final List<Meter> meters = new ArrayList<>();
        private final Map<Integer, double[]> toTarget = new HashMap<>();
        private volatile double criticalBatchSize = Double.NaN;
        private volatile double minSteps = Double.NaN;
        private volatile double minSamples = Double.NaN;
        private boolean fitRegistered;

        SweepMeters(MeterRegistry registry, String sweepId) {
            this.registry = registry;
            this.sweepId = LabelValues.sanitize(sweepId);
        }

        void update(SweepSummary summary) {
            if (summary.fit() != null) {
                criticalBatchSize = summary.fit().bCrit();
                minSteps = summary.fit().sMin();
                minSamples = summary.fit().eMin();
                if (!fitRegistered) {
                    fitRegistered = true;
                    meters.add(Gauge.builder(MeterNames.SWEEP_CRITICAL_BATCH_SIZE, this, m -> m.criticalBatchSize)
                            .description("Fitted critical batch size B_crit = E_min / S_min").tag("sweep", sweepId)
                            .strongReference(true).register(registry));
                    meters.add(Gauge.builder(MeterNames.SWEEP_MIN_STEPS, this, m -> m.minSteps)
                            .description("Fitted S_min: steps to the target with an unlimited batch")
                            .tag("sweep", sweepId).strongReference(true).register(registry));
                    meters.add(Gauge.builder(MeterNames.SWEEP_MIN_SAMPLES, this, m -> m.minSamples)
                            .description("Fitted E_min: samples to the target with a batch of one")
                            .tag("sweep", sweepId).strongReference(true).register(registry));
                }
            } else {
                criticalBatchSize = Double.NaN;
                minSteps = Double.NaN;
                minSamples = Double.NaN;
            }
            for (SweepSummary.BatchSizeRow row : summary.batchSizes()) {
                if (row.stepsToTarget() == null || row.samplesToTarget() == null) {
                    continue;
                }
                double[] values = toTarget.get(row.batchSize());
                if (values == null) {
                    double[] created = new double[2];
                    values = created;
                    toTarget.put(row.batchSize(), created);
                    Tags tags = Tags.of("sweep", sweepId, "batch_size", Integer.toString(row.batchSize()));
                    meters.add(Gauge.builder(MeterNames.SWEEP_STEPS_TO_TARGET, created, v -> v[0])
                            .description("Mean steps over seeds to reach the target loss").tags(tags)
                            .strongReference(true).register(registry));
                    meters.add(Gauge.builder(MeterNames.SWEEP_SAMPLES_TO_TARGET, created, v -> v[1])
                            .description("Mean samples over seeds to reach the target loss").tags(tags)
                            .strongReference(true).register(registry));
                }
                values[0] = row.stepsToTarget();
                values[1] = row.samplesToTarget();
            }
        }

        void removeAll() {
            for (Meter meter : meters) {
                registry.remove(meter);
            }
            meters.clear();
        }
    }
}

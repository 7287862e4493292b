package dev.batchscope.metrics.engine;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.RunStatusChanged;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every run and sweep this replica knows, and which metrics partitions its consumers read now. Single-threaded by
 * design: the Aggregator calls it under one lock, taken once per batch, so the code here takes none.
 *
 * <p>Bounded: at most {@code maxTrackedRuns} runs. A new run beyond that pushes out the run that finished first,
 * or, when none has finished, the one that has been quiet longest. Events of a pushed-out run are refused afterwards
 * (it is remembered for a while), so a replay does not bring it back piece by piece.
 */
public final class Store {
    private final EngineSettings settings;
    private final Map<String, RunRecord> runs = new HashMap<>();
    private final Map<String, SweepRecord> sweeps = new HashMap<>();
    private final Map<Integer, Integer> readSince = new HashMap<>();
    private final Map<String, Boolean> evicted;
    private final Set<RunRecord> touched = new LinkedHashSet<>();
    private final List<RunRecord> removed = new ArrayList<>();
    private long sequence;

    public Store(EngineSettings settings) {
        this.settings = settings;
        int remember = Math.max(1000, settings.maxTrackedRuns() * 4);
        this.evicted = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remember;
            }
        };
    }

    public EngineSettings settings() {
        return settings;
    }

    // ---- metrics partitions read --------------------------------------------------------------------------------

    /**
     * This replica's consumers read {@code partitions} as of their group's {@code generation}; their runs' metrics
     * are rebuilt from the beginning of the partition, so whatever was held for them is dropped first.
     */
    public void assign(Collection<Integer> partitions, int generation) {
        for (int p : partitions) {
            readSince.put(p, generation);
        }
        dropMetrics(new HashSet<>(partitions), true);
    }

    /** No consumer of this replica reads {@code partitions} for now: their runs' metrics go, their status stays. */
    public void revoke(Collection<Integer> partitions) {
        Set<Integer> set = new HashSet<>(partitions);
        for (int p : set) {
            readSince.remove(p);
        }
        dropMetrics(set, false);
    }

    public boolean reads(int partition) {
        return readSince.containsKey(partition);
    }

    /**
     * Whether a record polled in {@code generation} from {@code partition} may be applied: records fetched before
     * the partition was (re)assigned are stale, the replay from the beginning brings them again in order.
     */
    public boolean accepts(int partition, int generation) {
        Integer since = readSince.get(partition);
        return since != null && generation >= since;
    }

    private void dropMetrics(Set<Integer> partitions, boolean keepRecords) {
        List<RunRecord> affected = new ArrayList<>();
        for (RunRecord run : runs.values()) {
            if (partitions.contains(run.partition())) {
                affected.add(run);
            }
        }
        for (RunRecord run : affected) {
            run.metrics(null);
            run.streamCursor().reset(true);
            if (run.state() == null && !keepRecords) {
                remove(run);
            } else {
                touched.add(run);
            }
        }
    }

    // ---- writes ---------------------------------------------------------------------------------------------------

    /** Applies one event of the metrics topic. */
    public Verdict applyMetrics(Event event, int partition) {
        if (!(event instanceof IterationMetrics) && !(event instanceof EpochMetrics)) {
            return Verdict.UNEXPECTED_TYPE;
        }
        RunRecord run = runFor(event.runId(), event.sweepId(), partition);
        if (run == null) {
            return Verdict.EVICTED;
        }
        RunMetrics metrics = run.metrics();
        if (metrics == null) {
            metrics = new RunMetrics(settings);
            metrics.target(targetFor(run));
            run.metrics(metrics);
            if (run.finished()) {
                metrics.finished();
            }
        }
        RunMetrics.Outcome outcome = event instanceof IterationMetrics it ? metrics.apply(it)
                : metrics.apply((EpochMetrics) event);
        if (outcome == RunMetrics.Outcome.DUPLICATE) {
            return Verdict.DUPLICATE;
        }
        if (outcome == RunMetrics.Outcome.STALE_ATTEMPT) {
            return Verdict.STALE_ATTEMPT;
        }
        if (outcome == RunMetrics.Outcome.RESUMED) {
            run.streamCursor().reset(true);
        }
        run.touch(++sequence);
        touched.add(run);
        return Verdict.APPLIED;
    }

    /** Applies one event of the status topic (every replica reads all of it). */
    public Verdict applyStatus(Event event, int partition) {
        if (!(event instanceof RunStatusChanged status)) {
            return Verdict.UNEXPECTED_TYPE;
        }
        RunRecord run = runFor(status.runId(), status.sweepId(), partition);
        if (run == null) {
            return Verdict.EVICTED;
        }
        if (!run.applyStatus(status)) {
            return Verdict.DUPLICATE;
        }
        sweeps.get(run.sweepId()).describe(status.sweep());
        if (run.metrics() != null) {
            run.metrics().target(targetFor(run));
            if (run.finished()) {
                run.metrics().finished();
            }
        }
        run.touch(++sequence);
        touched.add(run);
        return Verdict.APPLIED;
    }

    /** A tombstone on the compacted status topic: the run is gone for good. */
    public void forget(String runId) {
        RunRecord run = runs.get(runId);
        if (run != null) {
            remove(run);
        }
    }

    private Double targetFor(RunRecord run) {
        if (run.spec() != null && run.spec().targetLoss() != null) {
            return run.spec().targetLoss();
        }
        return settings.defaultTargetLoss().orElse(null);
    }

    private RunRecord runFor(String runId, String sweepId, int partition) {
        RunRecord run = runs.get(runId);
        if (run != null) {
            run.partition(partition);
            return run;
        }
        if (evicted.containsKey(runId)) {
            return null;
        }
        while (runs.size() >= settings.maxTrackedRuns()) {
            evictOne();
        }
        run = new RunRecord(runId, sweepId);
        run.partition(partition);
        runs.put(runId, run);
        sweeps.computeIfAbsent(sweepId, SweepRecord::new).add(run);
        return run;
    }

    private void evictOne() {
        RunRecord victim = null;
        for (RunRecord run : runs.values()) {
            if (run.finished() && (victim == null || run.finishedAt().isBefore(victim.finishedAt()))) {
                victim = run;
            }
        }
        if (victim == null) {
            for (RunRecord run : runs.values()) {
                if (victim == null || run.lastActivity() < victim.lastActivity()) {
                    victim = run;
                }
            }
        }
        if (victim != null) {
            evicted.put(victim.runId(), Boolean.TRUE);
            remove(victim);
        }
    }

    private void remove(RunRecord run) {
        runs.remove(run.runId());
        SweepRecord sweep = sweeps.get(run.sweepId());
        if (sweep != null) {
            sweep.remove(run.runId());
            if (sweep.isEmpty()) {
                sweeps.remove(run.sweepId());
            }
        }
        touched.remove(run);
        removed.add(run);
    }

    /** What changed since the last call: the runs touched and the runs that left. */
    public Changes drainChanges() {
        Changes changes = new Changes(List.copyOf(touched), List.copyOf(removed));
        touched.clear();
        removed.clear();
        return changes;
    }

    // ---- reads ----------------------------------------------------------------------------------------------------

    public RunRecord run(String runId) {
        return runs.get(runId);
    }

    public Collection<RunRecord> runs() {
        return Collections.unmodifiableCollection(runs.values());
    }

    public SweepRecord sweep(String sweepId) {
        return sweeps.get(sweepId);
    }

    public Collection<SweepRecord> sweeps() {
        return Collections.unmodifiableCollection(sweeps.values());
    }

    public int size() {
        return runs.size();
    }

    /**
     * Whether this replica holds every run of the sweep with its metrics: only then are the sweep's aggregates
     * (steps to target, the fit) complete. Every replica reads every partition, so this is false only while a
     * partition is being rebuilt or runs are still missing.
     */
    public boolean holdsWholeSweep(SweepRecord sweep) {
        if (sweep.runCount() != null && sweep.runs().size() < sweep.runCount()) {
            return false;
        }
        for (RunRecord run : sweep.runs()) {
            if (!reads(run.partition())) {
                return false;
            }
        }
        return !sweep.isEmpty();
    }

    /** Runs touched and runs removed by a batch of events. */
    public record Changes(List<RunRecord> touched, List<RunRecord> removed) {
        public boolean isEmpty() {
            return touched.isEmpty() && removed.isEmpty();
        }
    }

    /** What became of one event. */
    public enum Verdict {
        APPLIED("applied"),
        DUPLICATE("duplicate"),
        STALE_ATTEMPT("stale_attempt"),
        EVICTED("evicted"),
        UNEXPECTED_TYPE("unexpected_type");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        /** The {@code reason} label of batchscope_events_skipped_total (UNEXPECTED_TYPE is dead-lettered instead). */
        public String reason() {
            return reason;
        }
    }
}

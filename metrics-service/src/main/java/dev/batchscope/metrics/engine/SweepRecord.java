package dev.batchscope.metrics.engine;

import dev.batchscope.events.SweepRef;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A sweep as the runs' status events describe it, with the runs this service holds. */
public final class SweepRecord {
    private final String sweepId;
    private String name;
    private Instant createdAt;
    private Integer runCount;
    private final Map<String, RunRecord> runs = new LinkedHashMap<>();

    SweepRecord(String sweepId) {
        this.sweepId = sweepId;
    }

    void describe(SweepRef ref) {
        if (ref == null) {
            return;
        }
        name = ref.name();
        createdAt = ref.createdAt();
        runCount = ref.runCount();
    }

    void add(RunRecord run) {
        runs.put(run.runId(), run);
    }

    void remove(String runId) {
        runs.remove(runId);
    }

    public String sweepId() {
        return sweepId;
    }

    public String name() {
        return name;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** How many runs the sweep has, as the scheduler said; null when no status event was seen. */
    public Integer runCount() {
        return runCount;
    }

    public Collection<RunRecord> runs() {
        return Collections.unmodifiableCollection(runs.values());
    }

    public boolean isEmpty() {
        return runs.isEmpty();
    }
}

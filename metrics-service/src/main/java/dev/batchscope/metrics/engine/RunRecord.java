package dev.batchscope.metrics.engine;

import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;

import java.time.Instant;

/**
 * One run as this service knows it: what the status topic says (spec, sweep, state, effective batch size) and,
 * once its metrics partition has been read here, the aggregate of its metrics.
 */
public final class RunRecord {
    private final String runId;
    private final String sweepId;
    private int partition = -1;

    private RunSpec spec;
    private SweepRef sweepRef;
    private volatile RunState state;
    private int statusAttempt = -1;
    private Integer effectiveBatchSize;
    private Double effectiveLearningRate;
    private Instant finishedAt;
    private String reason;
    private RunOutcome outcome;

    private RunMetrics metrics;
    private long lastActivity;

    private final StreamCursor streamCursor = new StreamCursor();

    RunRecord(String runId, String sweepId) {
        this.runId = runId;
        this.sweepId = sweepId;
    }

    /**
     * Applies a status event. A terminal state never changes again and an older attempt never overrides a newer one,
     * so redelivered or reordered status events leave the record as the newest one made it.
     *
     * @return whether anything changed
     */
    boolean applyStatus(RunStatusChanged s) {
        if (state != null && state.terminal()) {
            return false;
        }
        if (s.attempt() < statusAttempt) {
            return false;
        }
        state = s.state();
        statusAttempt = s.attempt();
        if (s.run() != null) {
            spec = s.run();
        }
        if (s.sweep() != null) {
            sweepRef = s.sweep();
        }
        if (s.effectiveBatchSize() != null) {
            effectiveBatchSize = s.effectiveBatchSize();
        }
        if (s.effectiveLearningRate() != null) {
            effectiveLearningRate = s.effectiveLearningRate();
        }
        reason = s.reason();
        if (s.outcome() != null) {
            outcome = s.outcome();
        }
        if (s.state().terminal()) {
            finishedAt = s.emittedAt();
        }
        return true;
    }

    public String runId() {
        return runId;
    }

    public String sweepId() {
        return sweepId;
    }

    public int partition() {
        return partition;
    }

    void partition(int p) {
        if (p >= 0) {
            partition = p;
        }
    }

    public RunSpec spec() {
        return spec;
    }

    public SweepRef sweepRef() {
        return sweepRef;
    }

    /** The current state; null while only metrics have been seen. */
    public RunState state() {
        return state;
    }

    public int statusAttempt() {
        return statusAttempt;
    }

    public boolean finished() {
        return state != null && state.terminal();
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public String reason() {
        return reason;
    }

    /** The examples per step: from the trainer once RUNNING, else the spec's size unless it is "full". */
    public Integer batchSize() {
        if (effectiveBatchSize != null) {
            return effectiveBatchSize;
        }
        if (spec != null && spec.batchSize() != null && !spec.batchSize().isFull()) {
            return spec.batchSize().size();
        }
        return null;
    }

    /** The peak learning rate after scaling, else the spec's base rate. */
    public Double learningRate() {
        if (effectiveLearningRate != null) {
            return effectiveLearningRate;
        }
        return spec != null && spec.learningRate() != null ? spec.learningRate().base() : null;
    }

    /** Why the run ended; null while it has not. */
    public RunOutcome outcome() {
        return outcome;
    }

    /** The sweep's protocol as the run's status carries it; fixed when not given (records from before protocols). */
    public Protocol protocol() {
        return sweepRef == null || sweepRef.protocol() == null ? Protocol.FIXED : sweepRef.protocol();
    }

    public Long seed() {
        return spec == null ? null : spec.seed();
    }

    public String modelLabel() {
        return spec == null || spec.model() == null ? null : spec.model().label();
    }

    public String datasetLabel() {
        return spec == null || spec.dataset() == null || spec.dataset().name() == null ? null
                : spec.dataset().name().wire();
    }

    /** The run's total optimizer steps when the budget and what was seen so far tell it, else null. */
    public Long budgetIterations() {
        if (spec == null || spec.budget() == null) {
            return null;
        }
        BudgetSpec budget = spec.budget();
        if (budget.steps() != null) {
            return budget.steps().longValue();
        }
        Integer b = batchSize();
        if (budget.samples() != null) {
            return b == null ? null : Math.max(1, (budget.samples() + b - 1) / b);
        }
        if (budget.epochs() != null && metrics != null && metrics.stepsPerEpoch() != null) {
            return budget.epochs() * metrics.stepsPerEpoch();
        }
        return null;
    }

    /** Where the live stream left off for this run. */
    public StreamCursor streamCursor() {
        return streamCursor;
    }

    public RunMetrics metrics() {
        return metrics;
    }

    void metrics(RunMetrics m) {
        metrics = m;
    }

    long lastActivity() {
        return lastActivity;
    }

    void touch(long sequence) {
        lastActivity = sequence;
    }
}

package dev.batchscope.scheduler.state;

import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.RunState;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep as the status topic describes it, at one moment.
 *
 * @param runCount       how many runs the sweep was submitted with (its runs list may still lack some)
 * @param idempotencyKey the key it was submitted with, or null
 * @param runs           the runs known so far, by index
 * @param protocol       fixed or tuned (fixed for sweeps written before there were protocols)
 * @param pruning        the sweep's pruning rule (none for older sweeps)
 */
public record SweepState(String sweepId, String name, Instant createdAt, int runCount, String idempotencyKey,
                         List<ScheduledRun> runs, Protocol protocol, PruningSpec pruning) {

    public Map<RunState, Integer> counts() {
        Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            counts.put(state, 0);
        }
        runs.forEach(run -> counts.merge(run.current().state(), 1, Integer::sum));
        return counts;
    }

    /**
     * The sweep's state: QUEUED until a run starts, RUNNING while any run has not ended, then FAILED if any run
     * failed, CANCELLED if any was cancelled, else SUCCEEDED. A DIVERGED run is a result (its learning rate is too
     * high), so a sweep whose runs all succeeded or diverged has SUCCEEDED.
     */
    public RunState state() {
        Map<RunState, Integer> counts = counts();
        int ended = counts.entrySet().stream().filter(e -> e.getKey().terminal()).mapToInt(Map.Entry::getValue).sum();
        if (counts.get(RunState.QUEUED) == runCount) {
            return RunState.QUEUED;
        }
        if (ended < runCount) {
            return RunState.RUNNING;
        }
        if (counts.get(RunState.FAILED) > 0) {
            return RunState.FAILED;
        }
        return counts.get(RunState.CANCELLED) > 0 ? RunState.CANCELLED : RunState.SUCCEEDED;
    }

    public boolean finished() {
        return state().terminal();
    }
}

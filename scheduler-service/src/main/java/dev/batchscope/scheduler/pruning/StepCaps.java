package dev.batchscope.scheduler.pruning;

import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.scheduler.state.ScheduledRun;
import dev.batchscope.scheduler.state.SweepState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The margin rule (docs/design.md#7-the-batch-size-study), as a function of a sweep's state: within each
 * (batch size, seed) of a sweep, the best is the earliest iteration t* at which any run reached the target; every
 * run of that group that has not ended may train at most ceil(margin x t*) iterations. Runs are compared only with
 * runs of their own batch size and seed, because steps to target are what the study compares across batch sizes.
 */
public final class StepCaps {
    private StepCaps() {
    }

    /** A cap for one run, and which run set it. */
    public record Cap(String runId, long maxIterations, String bestRunId, long bestIteration) {
        public String reason(PruningSpec pruning) {
            return "run " + bestRunId + " of the same batch size and seed reached the target at iteration " + bestIteration
                    + "; margin " + pruning.margin() + " caps the others at " + maxIterations;
        }
    }

    /** The caps the sweep's runs should have now; none when the sweep does not prune. */
    public static List<Cap> of(SweepState sweep) {
        PruningSpec pruning = sweep.pruning();
        if (pruning == null || !pruning.prunes()) {
            return List.of();
        }
        Map<Group, List<ScheduledRun>> groups = new LinkedHashMap<>();
        for (ScheduledRun run : sweep.runs()) {
            if (run.spec() != null && run.current() != null) {
                groups.computeIfAbsent(new Group(run.spec().batchSize(), run.spec().seed()), g -> new ArrayList<>()).add(run);
            }
        }
        List<Cap> caps = new ArrayList<>();
        groups.values().forEach(runs -> capGroup(runs, pruning, caps));
        return caps;
    }

    private static void capGroup(List<ScheduledRun> runs, PruningSpec pruning, List<Cap> caps) {
        ScheduledRun best = runs.stream()
                .filter(run -> run.current().reachedTargetAt() != null)
                .min(Comparator.comparingLong((ScheduledRun run) -> run.current().reachedTargetAt()).thenComparing(ScheduledRun::index))
                .orElse(null);
        if (best == null) {
            return;
        }
        long bestIteration = best.current().reachedTargetAt();
        long cap = pruning.capFor(bestIteration);
        for (ScheduledRun run : runs) {
            RunStatusChanged status = run.current();
            if (!status.state().terminal()) {
                caps.add(new Cap(run.runId(), cap, best.runId(), bestIteration));
            }
        }
    }

    private record Group(BatchSize batchSize, Long seed) {
    }
}

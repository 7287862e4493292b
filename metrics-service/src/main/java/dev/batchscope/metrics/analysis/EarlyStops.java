package dev.batchscope.metrics.analysis;

import java.util.List;

/**
 * What stopping at the target and pruning saved: for every run that ended with outcome {@code reached-target} or
 * {@code pruned}, its step budget minus the steps it trained (samples: times its batch size). Runs whose budget is
 * not known in steps (an epoch budget before the first epoch ended) are left out.
 */
final class EarlyStops {
    static final String REACHED_TARGET = "reached-target";
    static final String PRUNED = "pruned";

    private EarlyStops() {
    }

    static SweepSummary.EarlyStopSavings of(List<SweepSummary.RunRow> runs) {
        int stopped = 0;
        long steps = 0;
        long samples = 0;
        long budget = 0;
        for (SweepSummary.RunRow run : runs) {
            if (run.budgetIterations() == null) {
                continue;
            }
            budget += run.budgetIterations();
            boolean early = REACHED_TARGET.equals(run.outcome()) || PRUNED.equals(run.outcome());
            long saved = run.budgetIterations() - run.iterations();
            if (early && saved > 0) {
                stopped++;
                steps += saved;
                samples += run.batchSize() == null ? 0 : saved * run.batchSize();
            }
        }
        Double fraction = budget > 0 ? (double) steps / budget : null;
        return new SweepSummary.EarlyStopSavings(stopped, steps, samples, fraction);
    }
}

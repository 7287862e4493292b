package dev.batchscope.scheduler.api;

import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.scheduler.state.ScheduledRun;
import dev.batchscope.scheduler.state.SweepState;

/** Maps the store's state to the API's views. */
public final class SweepViews {
    private SweepViews() {
    }

    public static SweepView of(SweepState sweep) {
        return new SweepView(sweep.sweepId(), sweep.name(), sweep.createdAt(), sweep.state(), sweep.runCount(),
                sweep.counts(), sweep.idempotencyKey(), sweep.runs().stream().map(SweepViews::of).toList(),
                sweep.protocol(), sweep.pruning());
    }

    public static SweepSummaryView summary(SweepState sweep) {
        return new SweepSummaryView(sweep.sweepId(), sweep.name(), sweep.createdAt(), sweep.state(), sweep.runCount(),
                sweep.counts());
    }

    static RunView of(ScheduledRun run) {
        RunStatusChanged status = run.current();
        return new RunView(run.runId(), run.index(), run.spec() == null ? null : run.spec().batchSize(),
                run.spec() == null ? null : run.spec().seed(), status.state(), status.attempt(), status.trainerId(),
                status.effectiveBatchSize(), status.effectiveLearningRate(), status.reason(), status.emittedAt(),
                run.spec(), status.outcome(), status.reachedTargetAt());
    }
}

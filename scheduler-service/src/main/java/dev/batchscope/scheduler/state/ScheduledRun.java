package dev.batchscope.scheduler.state;

import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.spec.RunSpec;

/**
 * What the scheduler knows of one run.
 *
 * @param runId    the run
 * @param index    its position in the sweep
 * @param spec     the run's spec (the latest status that carried one)
 * @param read     the latest status accepted from the topic; null until the first one is read
 * @param position where {@code read} came from
 * @param pending  a change this scheduler published and applied at once, until the topic confirms or overtakes it
 */
public record ScheduledRun(String runId, int index, RunSpec spec, RunStatusChanged read, StatusPosition position,
                        RunStatusChanged pending) {

    /** The status to report: the scheduler's own unconfirmed change, or else what the topic says. */
    public RunStatusChanged current() {
        return pending != null ? pending : read;
    }
}

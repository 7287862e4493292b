package dev.batchscope.events.spec;

/**
 * Why a run ended. Every terminal status carries one; each belongs to exactly one terminal {@link RunState}.
 * Code decides by state and outcome, never by the human text of a status's reason.
 */
public enum RunOutcome implements WireEnum {
    /** The budget is spent. */
    COMPLETED("completed", RunState.SUCCEEDED),
    /** stopAtTarget: the smoothed loss reached the target loss. */
    REACHED_TARGET("reached-target", RunState.SUCCEEDED),
    /** Stopped at the step cap the scheduler set: it could no longer beat the best run of its batch size. */
    PRUNED("pruned", RunState.SUCCEEDED),
    /** The loss became NaN or infinite: a result (the learning rate is too high), not a failure. */
    DIVERGED("diverged", RunState.DIVERGED),
    /** Stopped on request. */
    CANCELLED("cancelled", RunState.CANCELLED),
    /** The dataset is missing or unreadable. */
    DATA("data", RunState.FAILED),
    /** The trainer cannot train this spec (a batch larger than the data, a model that does not fit the data). */
    INVALID_SPEC("invalid-spec", RunState.FAILED),
    /** An unexpected error. */
    INTERNAL("internal", RunState.FAILED);

    private final String wire;
    private final RunState state;

    RunOutcome(String wire, RunState state) {
        this.wire = wire;
        this.state = state;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The terminal state a run with this outcome is in. */
    public RunState state() {
        return state;
    }
}

package dev.batchscope.scheduler.kafka;

/** SmallRye channel names (configured in application.properties, one block each). */
public final class SchedulerChannels {
    /** Out: batchscope.runs.requested. */
    public static final String RUN_REQUESTS = "run-requests";
    /** Out: batchscope.runs.control. */
    public static final String RUN_CONTROL = "run-control";
    /** Out: batchscope.runs.status (QUEUED and CANCELLED written by the scheduler). */
    public static final String STATUS_OUT = "status-out";
    /** In: batchscope.runs.status, the scheduler's only source of state. */
    public static final String STATUS_IN = "status-in";
    /** The rebalance listener that replays the status topic before live consumption starts. */
    public static final String STATUS_REPLAY_LISTENER = "status-replay";

    private SchedulerChannels() {
    }
}

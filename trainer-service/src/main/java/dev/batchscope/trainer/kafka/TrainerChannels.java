package dev.batchscope.trainer.kafka;

/** Channel names of application.properties; tests reuse them. */
public final class TrainerChannels {
    public static final String RUNS_REQUESTED = "runs-requested";
    public static final String RUNS_CONTROL = "runs-control";
    public static final String RUN_STATUS = "run-status";
    public static final String RUN_METRICS = "run-metrics";
    /** The bean that hands runs over when the requested topic's partitions move (consumer-rebalance-listener.name). */
    /** The consumer group of every trainer on batchscope.runs.requested (application.properties). */
    public static final String TRAINER_GROUP = "batchscope-trainer";
    public static final String REBALANCE_LISTENER = "batchscope-trainer-rebalance";

    private TrainerChannels() {
    }
}

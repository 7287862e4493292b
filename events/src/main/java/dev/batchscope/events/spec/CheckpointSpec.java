package dev.batchscope.events.spec;

/**
 * How often a trainer saves a checkpoint that a redelivered run resumes from; 0 turns a trigger off.
 */
public record CheckpointSpec(Integer everyIterations, Integer everySeconds) {
    public static final CheckpointSpec DEFAULT = new CheckpointSpec(200, 30);

    public CheckpointSpec {
        everyIterations = everyIterations == null ? DEFAULT.everyIterations : everyIterations;
        everySeconds = everySeconds == null ? DEFAULT.everySeconds : everySeconds;
    }
}

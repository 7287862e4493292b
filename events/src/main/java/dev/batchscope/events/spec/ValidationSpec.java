package dev.batchscope.events.spec;

/**
 * When a run evaluates on its validation split.
 *
 * @param everyIterations evaluate every N iterations; 0 means at the end of every epoch
 */
public record ValidationSpec(Integer everyIterations) {
    public static final ValidationSpec EVERY_EPOCH = new ValidationSpec(0);

    public ValidationSpec {
        everyIterations = everyIterations == null ? 0 : everyIterations;
    }
}

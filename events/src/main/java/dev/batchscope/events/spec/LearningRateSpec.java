package dev.batchscope.events.spec;

/**
 * @param base          the learning rate at {@code baseBatchSize}
 * @param scaling       how it follows the batch size
 * @param baseBatchSize the batch size that {@code base} is meant for
 * @param warmup        linear warmup
 */
public record LearningRateSpec(Double base, LrScaling scaling, Integer baseBatchSize, WarmupSpec warmup) {
    public static final int DEFAULT_BASE_BATCH_SIZE = 32;

    public LearningRateSpec {
        scaling = scaling == null ? LrScaling.NONE : scaling;
        baseBatchSize = baseBatchSize == null ? DEFAULT_BASE_BATCH_SIZE : baseBatchSize;
        warmup = warmup == null ? WarmupSpec.NONE : warmup;
    }

    public static LearningRateSpec constant(double base) {
        return new LearningRateSpec(base, LrScaling.NONE, null, null);
    }

    /** The peak learning rate for an effective batch size. */
    public double forBatchSize(int batchSize) {
        return scaling.scale(base, baseBatchSize, batchSize);
    }
}

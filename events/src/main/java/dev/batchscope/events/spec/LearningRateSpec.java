package dev.batchscope.events.spec;

import java.util.List;
import java.util.stream.Stream;

/**
 * The learning rate of a sweep or of one run.
 *
 * <p>Protocol {@code fixed} (and every run): {@code base}, scaled to each batch size by {@code scaling}. Protocol
 * {@code tuned}: candidates from {@code grid} or {@code search} instead of {@code base}, each centred per batch size
 * by {@code scaling}: candidate(B) = value x scaling.scale(1, baseBatchSize, B).
 *
 * @param base          the learning rate at {@code baseBatchSize}
 * @param scaling       how it follows the batch size
 * @param baseBatchSize the batch size that {@code base} (or each candidate) is meant for
 * @param warmup        linear warmup
 * @param grid          tuned: the candidates as a list
 * @param search        tuned: the candidates log-spaced between two ends
 */
public record LearningRateSpec(Double base, LrScaling scaling, Integer baseBatchSize, WarmupSpec warmup,
                               List<Double> grid, LearningRateSearch search) {
    public static final int DEFAULT_BASE_BATCH_SIZE = 32;
    public static final int MAX_GRID = 16;
    /** The range of every learning rate a run may train with. */
    public static final double MIN = 1e-9;
    public static final double MAX = 100;

    public LearningRateSpec {
        scaling = scaling == null ? LrScaling.NONE : scaling;
        baseBatchSize = baseBatchSize == null ? DEFAULT_BASE_BATCH_SIZE : baseBatchSize;
        warmup = warmup == null ? WarmupSpec.NONE : warmup;
    }

    public LearningRateSpec(Double base, LrScaling scaling, Integer baseBatchSize, WarmupSpec warmup) {
        this(base, scaling, baseBatchSize, warmup, null, null);
    }

    public static LearningRateSpec constant(double base) {
        return new LearningRateSpec(base, LrScaling.NONE, null, null);
    }

    /** The peak learning rate for an effective batch size. */
    public double forBatchSize(int batchSize) {
        return scaling.scale(base, baseBatchSize, batchSize);
    }

    /** The tuned candidates in ascending order, before centring: the grid's values or the search's. */
    public List<Double> candidates() {
        Stream<Double> values = grid != null ? grid.stream() : search != null ? search.values().stream() : Stream.empty();
        return values.sorted().toList();
    }

    /**
     * The learning rate of one tuned run: {@code candidate} centred for {@code batchSize}. A full batch's size is
     * known only to the trainer that loads the data, so its run keeps the scaling rule and the trainer applies it.
     */
    public LearningRateSpec forCandidate(double candidate, BatchSize batchSize) {
        if (batchSize.isFull() && scaling != LrScaling.NONE) {
            return new LearningRateSpec(candidate, scaling, baseBatchSize, warmup);
        }
        double resolved = batchSize.isFull() ? candidate : scaling.scale(candidate, baseBatchSize, batchSize.size());
        return new LearningRateSpec(resolved, LrScaling.NONE, baseBatchSize, warmup);
    }
}

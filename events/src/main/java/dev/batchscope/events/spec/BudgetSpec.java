package dev.batchscope.events.spec;

/** How long a run trains: exactly one of epochs, samples or steps. */
public record BudgetSpec(Integer epochs, Long samples, Integer steps) {
    public static final int MAX_EPOCHS = 1000;
    public static final long MAX_SAMPLES = 10_000_000_000L;
    public static final int MAX_STEPS = 10_000_000;

    public static BudgetSpec epochs(int epochs) {
        return new BudgetSpec(epochs, null, null);
    }

    public static BudgetSpec steps(int steps) {
        return new BudgetSpec(null, null, steps);
    }

    /**
     * Steps of one epoch: whole batches only. The rest of an epoch's shuffled rows is skipped, so that every step sees
     * exactly {@code batchSize} examples (a batch-size study needs that).
     */
    public static int stepsPerEpoch(int trainExamples, int batchSize) {
        return trainExamples / batchSize;
    }

    /** Total optimizer steps for a run with {@code stepsPerEpoch} steps per epoch of {@code batchSize} examples. */
    public long totalSteps(int stepsPerEpoch, int batchSize) {
        if (steps != null) {
            return steps;
        }
        if (samples != null) {
            return Math.max(1, (samples + batchSize - 1) / batchSize);
        }
        return (long) epochs * stepsPerEpoch;
    }
}

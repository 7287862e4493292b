package dev.batchscope.trainer.engine;

import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.RunSize;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.trainer.engine.data.Dataset;

/**
 * What a run will do, worked out from its spec and its data before the first step.
 *
 * @param batchSize          examples per step ("full" resolved)
 * @param stepsPerEpoch      full batches per epoch; the remainder of an epoch's shuffled rows is skipped, so every
 *                           step sees exactly {@code batchSize} examples (a batch-size study needs that)
 * @param peakLearningRate   the learning rate after batch-size scaling, reached after warmup
 * @param warmupIterations   updates of linear warmup from zero
 * @param noiseEvery         measure gradient noise on iterations that are multiples of this; 0 = never
 * @param microBatches       k for the measurement, at most the batch size; 0 when not measuring
 * @param validationEvery    validate every N iterations; 0 = at the end of every epoch
 */
public record TrainingPlan(int trainExamples, int validationExamples, int batchSize, int stepsPerEpoch, long totalSteps,
                           double peakLearningRate, long warmupIterations, int noiseEvery, int microBatches,
                           int validationEvery, int checkpointEveryIterations, int checkpointEverySeconds) {

    public static TrainingPlan of(RunSpec spec, Dataset data) {
        int n = data.trainSize();
        if (spec.batchSize() == null || !spec.batchSize().inRange()) {
            throw new TrainingException("batchSize: must be a positive integer or \"full\", got " + spec.batchSize());
        }
        int batch = spec.batchSize().resolve(n);
        if (n < 1) {
            throw new TrainingException("dataset: the training split of " + data.name() + " is empty");
        }
        if (batch > n) {
            throw new TrainingException("batchSize: " + batch + " is larger than the training split of " + data.name()
                    + " (" + n + " examples); use at most " + n + " or \"full\"");
        }
        if (spec.budget() == null) {
            throw new TrainingException("budget: is required (epochs, samples or steps)");
        }
        // the rule the CLI shows in a dry run, from the same code
        int stepsPerEpoch = BudgetSpec.stepsPerEpoch(n, batch);
        long totalSteps = RunSize.of(spec, n).steps();
        LearningRateSpec lr = spec.learningRate();
        if (lr == null || lr.base() == null) {
            throw new TrainingException("learningRate.base: is required");
        }
        double peak = lr.forBatchSize(batch);
        if (!Double.isFinite(peak) || peak <= 0) {
            throw new TrainingException("learningRate: scaling " + lr.base() + " by " + lr.scaling().wire()
                    + " to batch size " + batch + " gives " + peak + ", not a usable learning rate");
        }
        long warmup = lr.warmup().iterations() > 0 ? lr.warmup().iterations() : (long) lr.warmup().epochs() * stepsPerEpoch;
        NoiseSpec noise = spec.noise();
        int k = Math.min(noise.microBatches(), batch);
        boolean measures = noise.every() > 0 && k >= 2;
        return new TrainingPlan(n, data.validationSize(), batch, stepsPerEpoch, totalSteps, peak, warmup,
                measures ? noise.every() : 0, measures ? k : 0, spec.validation().everyIterations(),
                spec.checkpoint().everyIterations(), spec.checkpoint().everySeconds());
    }

    /** Whether 1-based iteration {@code iteration} takes a noise measurement. */
    public boolean measuresNoiseAt(long iteration) {
        return noiseEvery > 0 && iteration % noiseEvery == 0;
    }

    /** Whether 1-based iteration {@code iteration} ends with a validation pass. */
    public boolean validatesAt(long iteration) {
        if (iteration == totalSteps) {
            return true;
        }
        return validationEvery > 0 ? iteration % validationEvery == 0 : iteration % stepsPerEpoch == 0;
    }

    /** The 1-based epoch of 1-based iteration {@code iteration}. */
    public int epochOf(long iteration) {
        return (int) ((iteration - 1) / stepsPerEpoch) + 1;
    }
}

package dev.batchscope.events.spec;

/**
 * Everything a trainer needs to train one run. Optional parts get their defaults when read,
 * so a RunSpec on the wire is complete.
 *
 * @param targetLoss   the loss that counts as "reached" for steps-to-target; null when the sweep sets none
 * @param stopAtTarget stop once the smoothed loss reached {@code targetLoss} (TargetCrossing); default false
 */
public record RunSpec(
        DatasetSpec dataset,
        ModelSpec model,
        LossFunction loss,
        OptimizerSpec optimizer,
        BatchSize batchSize,
        LearningRateSpec learningRate,
        BudgetSpec budget,
        Long seed,
        NoiseSpec noise,
        ValidationSpec validation,
        Double targetLoss,
        CheckpointSpec checkpoint,
        Boolean stopAtTarget) {

    public RunSpec {
        loss = loss == null ? LossFunction.CROSS_ENTROPY : loss;
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
        seed = seed == null ? 1L : seed;
        noise = noise == null ? NoiseSpec.DEFAULT : noise;
        validation = validation == null ? ValidationSpec.EVERY_EPOCH : validation;
        checkpoint = checkpoint == null ? CheckpointSpec.DEFAULT : checkpoint;
        stopAtTarget = stopAtTarget != null && stopAtTarget;
    }

    public RunSpec withBatchSize(BatchSize size) {
        return new RunSpec(dataset, model, loss, optimizer, size, learningRate, budget, seed, noise, validation,
                targetLoss, checkpoint, stopAtTarget);
    }

    public RunSpec withSeed(long newSeed) {
        return new RunSpec(dataset, model, loss, optimizer, batchSize, learningRate, budget, newSeed, noise,
                validation, targetLoss, checkpoint, stopAtTarget);
    }
}

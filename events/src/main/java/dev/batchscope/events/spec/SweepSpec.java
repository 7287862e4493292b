package dev.batchscope.events.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch-size sweep: the same run for every batch size and seed, and in protocol {@code tuned} for every
 * candidate learning rate too. The shared fields mean the same as in {@link RunSpec}.
 *
 * @param protocol     fixed (default: one learning rate per batch size) or tuned (candidates per batch size)
 * @param stopAtTarget stop each run once its smoothed loss reached {@code targetLoss}; default true in tuned
 * @param pruning      stop the runs that can no longer win; default margin 1.5 in tuned with stopAtTarget, else none
 */
public record SweepSpec(
        String name,
        DatasetSpec dataset,
        ModelSpec model,
        LossFunction loss,
        OptimizerSpec optimizer,
        List<BatchSize> batchSizes,
        List<Long> seeds,
        LearningRateSpec learningRate,
        BudgetSpec budget,
        NoiseSpec noise,
        ValidationSpec validation,
        Double targetLoss,
        CheckpointSpec checkpoint,
        Protocol protocol,
        Boolean stopAtTarget,
        PruningSpec pruning) {

    public static final int MAX_RUNS = 1000;

    public SweepSpec {
        loss = loss == null ? LossFunction.CROSS_ENTROPY : loss;
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
        seeds = seeds == null ? List.of(1L) : seeds;
        noise = noise == null ? NoiseSpec.DEFAULT : noise;
        validation = validation == null ? ValidationSpec.EVERY_EPOCH : validation;
        checkpoint = checkpoint == null ? CheckpointSpec.DEFAULT : checkpoint;
        protocol = protocol == null ? Protocol.FIXED : protocol;
        stopAtTarget = stopAtTarget == null ? protocol == Protocol.TUNED : stopAtTarget;
        pruning = pruning == null
                ? protocol == Protocol.TUNED && stopAtTarget ? PruningSpec.DEFAULT_MARGIN_RULE : PruningSpec.NONE
                : pruning;
    }

    /** The learning rates each batch size runs with: one (fixed) or the tuned candidates. */
    public int learningRatesPerBatchSize() {
        return protocol == Protocol.TUNED && learningRate != null ? learningRate.candidates().size() : 1;
    }

    /**
     * One RunSpec per batch size, learning rate and seed, in that order: batch sizes as given, then (tuned) the
     * candidates ascending, then the seeds as given. Each tuned run carries its own resolved learning rate.
     */
    public List<RunSpec> expand() {
        List<RunSpec> runs = new ArrayList<>(batchSizes.size() * learningRatesPerBatchSize() * seeds.size());
        for (BatchSize batchSize : batchSizes) {
            for (LearningRateSpec rate : ratesFor(batchSize)) {
                for (Long seed : seeds) {
                    runs.add(new RunSpec(dataset, model, loss, optimizer, batchSize, rate, budget, seed, noise,
                            validation, targetLoss, checkpoint, stopAtTarget));
                }
            }
        }
        return runs;
    }

    private List<LearningRateSpec> ratesFor(BatchSize batchSize) {
        if (protocol != Protocol.TUNED) {
            return List.of(learningRate);
        }
        return learningRate.candidates().stream().map(value -> learningRate.forCandidate(value, batchSize)).toList();
    }
}

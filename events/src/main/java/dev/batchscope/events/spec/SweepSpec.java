package dev.batchscope.events.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch-size sweep: the same run for every batch size and seed.
 * The shared fields mean the same as in {@link RunSpec}.
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
        CheckpointSpec checkpoint) {

    public static final int MAX_RUNS = 1000;

    public SweepSpec {
        loss = loss == null ? LossFunction.CROSS_ENTROPY : loss;
        optimizer = optimizer == null ? OptimizerSpec.sgd() : optimizer;
        seeds = seeds == null ? List.of(1L) : seeds;
        noise = noise == null ? NoiseSpec.DEFAULT : noise;
        validation = validation == null ? ValidationSpec.EVERY_EPOCH : validation;
        checkpoint = checkpoint == null ? CheckpointSpec.DEFAULT : checkpoint;
    }

    /** One RunSpec per batch size and seed, batch sizes outermost, in the order given. */
    public List<RunSpec> expand() {
        List<RunSpec> runs = new ArrayList<>(batchSizes.size() * seeds.size());
        for (BatchSize batchSize : batchSizes) {
            for (Long seed : seeds) {
                runs.add(new RunSpec(dataset, model, loss, optimizer, batchSize, learningRate, budget, seed, noise,
                        validation, targetLoss, checkpoint));
            }
        }
        return runs;
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.spec.Activation;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WeightInit;

import java.util.List;

/** Small run specs for engine tests: seconds on two cores. */
final class Specs {
    private Specs() {
    }

    static DatasetSpec blobs(int samples, int features, int classes) {
        return new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, samples, 0.2, features, classes, 1.0, null, null);
    }

    static DatasetSpec linear(int samples, int features, double noise) {
        return new DatasetSpec(DatasetKind.SYNTHETIC_LINEAR, samples, 0.1, features, null, noise, null, null);
    }

    static RunSpec blobsMlp(OptimizerSpec optimizer, int batch, BudgetSpec budget, NoiseSpec noise) {
        return new RunSpec(blobs(600, 8, 3), new ModelSpec(ModelType.MLP, List.of(16, 8), Activation.TANH, WeightInit.XAVIER),
                LossFunction.CROSS_ENTROPY, optimizer, BatchSize.of(batch), LearningRateSpec.constant(0.05), budget, 7L,
                noise, ValidationSpec.EVERY_EPOCH, null, new CheckpointSpec(0, 0), null);
    }

    static RunSpec linearRegression(int samples, int features, double noise, int batch, BudgetSpec budget, NoiseSpec noiseSpec) {
        return new RunSpec(linear(samples, features, noise),
                new ModelSpec(ModelType.LINEAR, null, null, WeightInit.ZEROS), LossFunction.MSE, OptimizerSpec.sgd(),
                BatchSize.of(batch), LearningRateSpec.constant(0.01), budget, 11L, noiseSpec, ValidationSpec.EVERY_EPOCH,
                null, new CheckpointSpec(0, 0), null);
    }

    static OptimizerSpec optimizer(dev.batchscope.events.spec.OptimizerType type) {
        return new OptimizerSpec(type, null);
    }
}

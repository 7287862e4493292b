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
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WeightInit;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.testing.machine.MachineRequirements;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Fashion-MNIST, a small subset: the loader, an MLP and a CNN learn something in a few seconds. */
class FashionMnistSmokeTest {
    private static final int SUBSET = 2000;

    /** The real dataset; without it the test fails with setup/preflight's message, which says how to install it. */
    private static Dataset load() {
        MachineRequirements.require("fashion-mnist");
        DatasetLoader loader = DatasetLoader.standard();
        DatasetSpec spec = new DatasetSpec(DatasetKind.FASHION_MNIST, SUBSET, null, null, null, null, null, null);
        return loader.load(spec, 1);
    }

    private static RunSpec spec(ModelSpec model, int epochs) {
        DatasetSpec dataset = new DatasetSpec(DatasetKind.FASHION_MNIST, SUBSET, null, null, null, null, null, null);
        return new RunSpec(dataset, model, LossFunction.CROSS_ENTROPY, new OptimizerSpec(OptimizerType.MOMENTUM, 0.9),
                BatchSize.of(50), LearningRateSpec.constant(0.05), BudgetSpec.epochs(epochs), 1L, new NoiseSpec(10, 4),
                ValidationSpec.EVERY_EPOCH, null, new CheckpointSpec(0, 0), null);
    }

    @Test
    void mlpOnASubsetLearnsAndValidatesOnTheOfficialTestSet() {
        Dataset data = load();
        assertEquals(SUBSET, data.trainSize());
        assertEquals(10_000, data.validationSize());
        List<IterationRecord> iterations = new ArrayList<>();
        List<ValidationRecord> validations = new ArrayList<>();
        RunSpec spec = spec(new ModelSpec(ModelType.MLP, List.of(64), Activation.RELU, WeightInit.HE), 2);
        TrainingResult result = Trainer.create(spec, data).train(collect(iterations, validations), RunControl.NEVER, null);

        assertEquals(TrainingResult.Outcome.COMPLETED, result.outcome());
        assertEquals(80, iterations.size());
        assertEquals(8, iterations.stream().filter(r -> r.noise() != null).count());
        assertEquals(2, validations.size());
        assertTrue(validations.get(1).valAccuracy() > 0.7, "accuracy " + validations.get(1).valAccuracy());
        assertTrue(validations.get(1).trainLoss() < iterations.get(0).loss());
    }

    @Test
    void lenetStyleCnnTrainsOnImages() {
        Dataset data = load();
        List<IterationRecord> iterations = new ArrayList<>();
        List<ValidationRecord> validations = new ArrayList<>();
        RunSpec spec = spec(new ModelSpec(ModelType.CNN, null, Activation.RELU, WeightInit.HE), 1);
        Trainer.create(spec, data).train(collect(iterations, validations), RunControl.NEVER, null);
        assertEquals(40, iterations.size());
        assertTrue(validations.get(0).valAccuracy() > 0.5, "accuracy " + validations.get(0).valAccuracy());
    }

    private static TrainingListener collect(List<IterationRecord> iterations, List<ValidationRecord> validations) {
        return new TrainingListener() {
            @Override
            public void iteration(IterationRecord record) {
                iterations.add(record);
            }

            @Override
            public void validated(ValidationRecord record) {
                validations.add(record);
            }
        };
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.engine.data.EpochOrder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineStepTest {
    private static final int STEPS = 12;

    /**
     * On DL4J's path the engine drives DL4J's real updater: its trajectory is bit for bit the one of
     * MultiLayerNetwork.fit. (The dense path follows this one to float rounding: DensePathTest.)
     */
    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void engineStepsEqualDl4jFitBitForBit(OptimizerType optimizer) {
        RunSpec spec = Specs.blobsMlp(Specs.optimizer(optimizer), 32, BudgetSpec.steps(STEPS), NoiseSpec.OFF);
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        Trainer trainer = Trainer.create(spec, data, EnginePath.DL4J);
        MultiLayerNetwork reference = trainer.network().clone();

        List<Double> engineLosses = new ArrayList<>();
        trainer.train(new TrainingListener() {
            @Override
            public void iteration(IterationRecord record) {
                engineLosses.add(record.loss());
            }
        }, RunControl.NEVER, null);

        List<Double> fitLosses = new ArrayList<>();
        int batch = trainer.plan().batchSize();
        int stepsPerEpoch = trainer.plan().stepsPerEpoch();
        for (int i = 0; i < STEPS; i++) {
            int[] order = EpochOrder.permutation(spec.seed(), i / stepsPerEpoch, data.trainSize());
            int[] rows = Arrays.copyOfRange(order, (i % stepsPerEpoch) * batch, (i % stepsPerEpoch + 1) * batch);
            reference.fit(Nd4j.pullRows(data.trainFeatures(), 1, rows), Nd4j.pullRows(data.trainLabels(), 1, rows));
            fitLosses.add(reference.score());
        }
        assertEquals(fitLosses, engineLosses);
        assertArrayEquals(reference.params().data().asFloat(), trainer.parameters().data().asFloat());
    }

    /**
     * On DL4J's path a measuring iteration updates from the mean of its micro-batch gradients: the batch gradient, up
     * to rounding.
     */
    @Test
    void measuringIterationFollowsTheSameTrajectoryUpToRounding() {
        RunSpec plain = Specs.blobsMlp(Specs.optimizer(OptimizerType.SGD), 32, BudgetSpec.steps(STEPS), NoiseSpec.OFF);
        RunSpec measured = Specs.blobsMlp(Specs.optimizer(OptimizerType.SGD), 32, BudgetSpec.steps(STEPS), new NoiseSpec(1, 4));
        Dataset data = DatasetLoader.standard().load(plain.dataset(), plain.seed());
        Trainer a = Trainer.create(plain, data, EnginePath.DL4J);
        Trainer b = Trainer.create(measured, data, EnginePath.DL4J);
        List<IterationRecord> recordsA = new ArrayList<>();
        List<IterationRecord> recordsB = new ArrayList<>();
        a.train(collect(recordsA), RunControl.NEVER, null);
        b.train(collect(recordsB), RunControl.NEVER, null);
        for (int i = 0; i < STEPS; i++) {
            assertEquals(recordsA.get(i).loss(), recordsB.get(i).loss(), 1e-5 * Math.abs(recordsA.get(i).loss()));
            assertEquals(recordsA.get(i).gradNorm(), recordsB.get(i).gradNorm(), 1e-4 * recordsA.get(i).gradNorm());
            assertEquals(NoiseMethod.MICRO_BATCHES, recordsB.get(i).noise().method());
        }
        INDArray difference = a.parameters().sub(b.parameters());
        assertTrue(difference.norm2Number().doubleValue() < 1e-4 * a.parameters().norm2Number().doubleValue(),
                "parameters drifted by " + difference.norm2Number());
    }

    static TrainingListener collect(List<IterationRecord> records) {
        return new TrainingListener() {
            @Override
            public void iteration(IterationRecord record) {
                records.add(record);
            }
        };
    }
}

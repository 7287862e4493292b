package dev.batchscope.trainer.engine;

import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.WarmupSpec;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.engine.model.WarmupSchedule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPlanTest {
    private static final Dataset BLOBS = DatasetLoader.standard().load(Specs.blobs(600, 8, 3), 7); // 480 train rows

    private static RunSpec with(BatchSize batch, LearningRateSpec lr, BudgetSpec budget, NoiseSpec noise) {
        RunSpec base = Specs.blobsMlp(Specs.optimizer(OptimizerType.SGD), 1, budget, noise);
        return new RunSpec(base.dataset(), base.model(), base.loss(), base.optimizer(), batch, lr, budget, base.seed(),
                noise, base.validation(), null, base.checkpoint(), null);
    }

    @Test
    void fullBatchIsTheWholeTrainingSplitAndLinearScalingFollowsIt() {
        LearningRateSpec lr = new LearningRateSpec(0.1, LrScaling.LINEAR, 32, null);
        TrainingPlan plan = TrainingPlan.of(with(BatchSize.FULL, lr, BudgetSpec.epochs(3), NoiseSpec.DEFAULT), BLOBS);
        assertEquals(480, plan.batchSize());
        assertEquals(1, plan.stepsPerEpoch());
        assertEquals(3, plan.totalSteps());
        assertEquals(0.1 * 480 / 32, plan.peakLearningRate(), 1e-12);
    }

    @Test
    void sqrtScalingSamplesBudgetAndPartialLastBatch() {
        LearningRateSpec lr = new LearningRateSpec(0.1, LrScaling.SQRT, 32, null);
        TrainingPlan plan = TrainingPlan.of(with(BatchSize.of(128), lr, new BudgetSpec(null, 1000L, null), NoiseSpec.DEFAULT), BLOBS);
        assertEquals(3, plan.stepsPerEpoch(), "480 / 128: the remainder of 96 rows is skipped each epoch");
        assertEquals(8, plan.totalSteps(), "ceil(1000 / 128)");
        assertEquals(0.2, plan.peakLearningRate(), 1e-12);
        assertEquals(4, plan.microBatches());
        assertTrue(plan.measuresNoiseAt(10));
        assertFalse(plan.measuresNoiseAt(11));
    }

    @Test
    void warmupInEpochsBecomesIterationsAndRisesLinearly() {
        LearningRateSpec lr = new LearningRateSpec(0.4, LrScaling.NONE, 32, new WarmupSpec(0, 2));
        RunSpec spec = with(BatchSize.of(120), lr, BudgetSpec.epochs(4), NoiseSpec.OFF);
        TrainingPlan plan = TrainingPlan.of(spec, BLOBS);
        assertEquals(8, plan.warmupIterations());
        WarmupSchedule schedule = new WarmupSchedule(plan.peakLearningRate(), plan.warmupIterations());
        assertEquals(0.05, schedule.rateAt(0), 1e-12);
        assertEquals(0.4, schedule.rateAt(7), 1e-12);
        assertEquals(0.4, schedule.rateAt(100), 1e-12);

        List<Double> rates = new ArrayList<>();
        Trainer.create(spec, BLOBS).train(new TrainingListener() {
            @Override
            public void iteration(IterationRecord record) {
                rates.add(record.learningRate());
            }
        }, RunControl.NEVER, null);
        assertEquals(16, rates.size());
        assertEquals(0.05, rates.get(0), 1e-12);
        assertEquals(0.4, rates.get(15), 1e-12);
    }

    @Test
    void batchOfOneTakesNoNoiseMeasurementAndTinyBatchesUseFewerMicroBatches() {
        LearningRateSpec lr = LearningRateSpec.constant(0.1);
        assertEquals(0, TrainingPlan.of(with(BatchSize.of(1), lr, BudgetSpec.steps(1), NoiseSpec.DEFAULT), BLOBS).microBatches());
        assertEquals(3, TrainingPlan.of(with(BatchSize.of(3), lr, BudgetSpec.steps(1), NoiseSpec.DEFAULT), BLOBS).microBatches());
    }

    @Test
    void batchLargerThanTheDataFailsWithTheField() {
        TrainingException e = assertThrows(TrainingException.class, () -> TrainingPlan.of(
                with(BatchSize.of(481), LearningRateSpec.constant(0.1), BudgetSpec.epochs(1), NoiseSpec.OFF), BLOBS));
        assertTrue(e.getMessage().startsWith("batchSize: 481 is larger than the training split"), e.getMessage());
    }

    @Test
    void validationFollowsEpochsOrTheIterationCadenceAndAlwaysEndsTheRun() {
        TrainingPlan perEpoch = TrainingPlan.of(with(BatchSize.of(100), LearningRateSpec.constant(0.1),
                BudgetSpec.steps(10), NoiseSpec.OFF), BLOBS);
        assertEquals(4, perEpoch.stepsPerEpoch());
        assertTrue(perEpoch.validatesAt(4));
        assertFalse(perEpoch.validatesAt(5));
        assertTrue(perEpoch.validatesAt(10), "the final iteration always validates");
        assertEquals(3, perEpoch.epochOf(9));
    }

    @Test
    void divergingRunFailsWithNanLossAndTheIteration() {
        RunSpec spec = with(BatchSize.of(32), LearningRateSpec.constant(100.0), BudgetSpec.steps(500), NoiseSpec.OFF);
        RunSpec regression = new RunSpec(Specs.linear(400, 4, 1.0), Specs.linearRegression(400, 4, 1.0, 32,
                BudgetSpec.steps(500), NoiseSpec.OFF).model(), dev.batchscope.events.spec.LossFunction.MSE,
                spec.optimizer(), spec.batchSize(), spec.learningRate(), spec.budget(), 1L, spec.noise(),
                spec.validation(), null, spec.checkpoint(), null);
        Trainer trainer = Trainer.create(regression, DatasetLoader.standard().load(regression.dataset(), 1));
        TrainingException e = assertThrows(TrainingException.class,
                () -> trainer.train(TrainingListener.NONE, RunControl.NEVER, null));
        assertTrue(e.getMessage().matches("(loss|gradient) became (NaN|Infinity|-Infinity) at iteration \\d+ \\(learning rate 100.0\\).*"),
                e.getMessage());
    }
}

package dev.batchscope.events.spec;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's size rules as the CLI reads them from a spec; trainer-service checks them against its loaders. */
class RunSizeTest {

    @Test
    void anEpochIsWholeBatchesOnly() {
        assertEquals(468, BudgetSpec.stepsPerEpoch(60_000, 128));
        assertEquals(1, BudgetSpec.stepsPerEpoch(12_000, 12_000));
        assertEquals(0, BudgetSpec.stepsPerEpoch(100, 128));
    }

    @Test
    void fashionMnistTrainsOnItsFirstSamplesOfSixtyThousandImages() {
        RunSize size = RunSize.fromSpec(run(fashionMnist(12_000), BatchSize.of(64), BudgetSpec.epochs(10)));
        assertEquals(new RunSize(12_000, 64, 1870L), size);
        assertEquals(119_680L, size.samples());
        assertEquals(OptionalInt.of(60_000), TrainingSplit.trainExamples(fashionMnist(null)));
        assertEquals(OptionalInt.of(60_000), TrainingSplit.trainExamples(fashionMnist(90_000)));
        RunSize full = RunSize.fromSpec(run(fashionMnist(null), BatchSize.FULL, BudgetSpec.epochs(3)));
        assertEquals(new RunSize(60_000, 60_000, 3L), full);
    }

    @Test
    void syntheticSetsHoldOutTheirValidationShare() {
        DatasetSpec blobs = new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, 2048, 0.1, null, null, null, null, null);
        assertEquals(OptionalInt.of(2048 - 205), TrainingSplit.trainExamples(blobs));
        DatasetSpec none = new DatasetSpec(DatasetKind.SYNTHETIC_LINEAR, 500, 0.0, null, null, null, null, null);
        assertEquals(OptionalInt.of(500), TrainingSplit.trainExamples(none));
        assertEquals(1, TrainingSplit.heldOut(5, 0.01), "at least one row when anything is held out");
        assertEquals(0, TrainingSplit.heldOut(1, 0.5));
    }

    @Test
    void samplesBudgetsRoundUpAndStepBudgetsAreExact() {
        DatasetSpec csv = new DatasetSpec(DatasetKind.CSV, null, null, null, null, null, "x.csv", null);
        assertEquals(new RunSize(null, 100, 3L),
                RunSize.fromSpec(run(csv, BatchSize.of(100), new BudgetSpec(null, 250L, null))));
        assertEquals(new RunSize(null, null, 40L), RunSize.fromSpec(run(csv, BatchSize.FULL, BudgetSpec.steps(40))));
        RunSize byEpochs = RunSize.fromSpec(run(csv, BatchSize.of(100), BudgetSpec.epochs(2)));
        assertNull(byEpochs.steps(), "the file decides");
        assertNull(byEpochs.samples());
    }

    @Test
    void aBatchLargerThanTheSplitIsToldApart() {
        RunSize size = RunSize.fromSpec(run(fashionMnist(100), BatchSize.of(128), BudgetSpec.epochs(1)));
        assertTrue(size.batchTooLarge());
        assertEquals(0L, size.steps());
        assertFalse(RunSize.fromSpec(run(fashionMnist(128), BatchSize.of(128), BudgetSpec.epochs(1))).batchTooLarge());
    }

    private static DatasetSpec fashionMnist(Integer samples) {
        return new DatasetSpec(DatasetKind.FASHION_MNIST, samples, null, null, null, null, null, null);
    }

    private static RunSpec run(DatasetSpec dataset, BatchSize batch, BudgetSpec budget) {
        return new RunSpec(dataset, ModelSpec.of(ModelType.MLP), null, null, batch, LearningRateSpec.constant(0.1),
                budget, null, null, null, null, null, null);
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.RunSize;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.spec.TrainingSplit;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the CLI tells from a spec alone ({@link RunSize#fromSpec}: a dry run, a progress bar) is what the trainer does
 * with the data: the training split its loaders produce, the effective batch and the steps of its {@link TrainingPlan}.
 */
class RunSizeMatchesTheTrainerTest {
    private static final DatasetLoader LOADER = DatasetLoader.standard();

    @Test
    void theTextbookExampleSweepPlansTheStepsTheTrainerWillTake() throws IOException {
        Path example = Path.of("..", "examples", "textbook.yaml");
        SweepSpec sweep = EventJson.readSweepYaml(Files.readAllBytes(example));
        requireFashionMnist();
        Dataset data = LOADER.load(sweep.dataset(), 1);
        List<RunSpec> runs = sweep.expand();
        assertEquals(6, runs.size());
        for (RunSpec run : runs) {
            TrainingPlan plan = TrainingPlan.of(run, data);
            RunSize told = RunSize.fromSpec(run);
            assertEquals(new RunSize(plan.trainExamples(), plan.batchSize(), plan.totalSteps()), told,
                    "batch size " + run.batchSize());
        }
    }

    @Test
    void theTrainingSplitTheSpecTellsIsTheOneTheLoadersMake() {
        requireFashionMnist();
        for (Integer samples : new Integer[]{null, 12_000}) {
            DatasetSpec spec = new DatasetSpec(DatasetKind.FASHION_MNIST, samples, null, null, null, null, null, null);
            assertEquals(TrainingSplit.trainExamples(spec).getAsInt(), LOADER.load(spec, 1).trainSize(),
                    "fashion-mnist " + samples);
        }
        for (DatasetKind kind : List.of(DatasetKind.SYNTHETIC_BLOBS, DatasetKind.SYNTHETIC_LINEAR)) {
            for (double fraction : new double[]{0.1, 0.111, 0.0, 0.5, 0.9}) {
                for (int samples : new int[]{2, 5, 576, 2048}) {
                    DatasetSpec spec = new DatasetSpec(kind, samples, fraction, 4, null, null, null, null);
                    assertEquals(TrainingSplit.trainExamples(spec).getAsInt(),
                            LOADER.load(spec, 3).trainSize(), kind.wire() + " " + samples + " x " + fraction);
                }
            }
        }
    }

    /** Not a skip: the repository's tests use the real dataset (Debian's dataset-fashion-mnist). */
    private static void requireFashionMnist() {
        if (LOADER.locations().findDirectoryWith("fashion-mnist", List.of("train-images-idx3-ubyte.gz")).isEmpty()) {
            throw new AssertionError("Fashion-MNIST is not installed in " + LOADER.locations().roots()
                    + ": install the Debian package dataset-fashion-mnist or set BATCHSCOPE_DATA_DIR");
        }
    }
}

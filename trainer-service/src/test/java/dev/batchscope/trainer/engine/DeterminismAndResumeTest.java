package dev.batchscope.trainer.engine;

import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeterminismAndResumeTest {
    /** 480 training rows, batch 32: 15 steps per epoch, so 40 steps cross two epoch boundaries. */
    private static final int STEPS = 40;

    private static RunSpec spec(long seed) {
        RunSpec base = Specs.blobsMlp(Specs.optimizer(OptimizerType.ADAM), 32, BudgetSpec.steps(STEPS), new NoiseSpec(3, 4));
        return new RunSpec(base.dataset(), base.model(), base.loss(), base.optimizer(), base.batchSize(),
                base.learningRate(), base.budget(), seed, base.noise(), base.validation(), null, new CheckpointSpec(5, 0), null);
    }

    @Test
    void sameSeedGivesTheSameLossesBitForBit() {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Trainer a = train(spec(3), first, RunControl.NEVER, null);
        Trainer b = train(spec(3), second, RunControl.NEVER, null);
        assertEquals(STEPS, first.losses.size());
        assertEquals(first.losses, second.losses);
        assertEquals(first.noiseScales, second.noiseScales);
        assertArrayEquals(a.parameters().data().asFloat(), b.parameters().data().asFloat());

        Recorder other = new Recorder();
        train(spec(4), other, RunControl.NEVER, null);
        assertNotEquals(first.losses, other.losses, "another seed draws other data and another order");
    }

    @Test
    void resumedRunMatchesUninterruptedRun(@TempDir Path checkpoints) {
        Recorder uninterrupted = new Recorder();
        Trainer reference = train(spec(5), uninterrupted, RunControl.NEVER, null);

        // The first attempt dies after iteration 13; its last checkpoint is at 10.
        Recorder crashed = new Recorder();
        crashed.crashAfter = 13;
        CheckpointStore store = new CheckpointStore(checkpoints);
        assertThrows(SimulatedCrash.class, () -> train(spec(5), crashed, RunControl.NEVER, store));

        Recorder resumed = new Recorder();
        Trainer second = train(spec(5), resumed, RunControl.NEVER, store);
        assertEquals(10, resumed.resumedAfter);
        assertEquals(uninterrupted.losses.subList(10, STEPS), resumed.losses);
        assertEquals(List.of(15L, 30L, 40L), uninterrupted.validationIterations);
        assertEquals(uninterrupted.validations, resumed.validations,
                "the validation at 15 includes the train losses of 1..10 from before the crash");
        assertArrayEquals(reference.parameters().data().asFloat(), second.parameters().data().asFloat());
    }

    @Test
    void suspendedRunSavesWhereItStopsAndContinuesFromThere(@TempDir Path checkpoints) {
        Recorder uninterrupted = new Recorder();
        Trainer reference = train(spec(6), uninterrupted, RunControl.NEVER, null);

        Recorder first = new Recorder();
        CheckpointStore store = new CheckpointStore(checkpoints);
        train(spec(6), first, () -> first.losses.size() == 7 ? StopRequest.suspend("handed to another trainer") : null, store);
        TrainingResult suspended = first.lastResult;
        assertEquals(TrainingResult.Outcome.SUSPENDED, suspended.outcome());
        assertEquals(7, suspended.iterations());

        Recorder second = new Recorder();
        Trainer resumed = train(spec(6), second, RunControl.NEVER, store);
        assertEquals(7, second.resumedAfter);
        assertEquals(uninterrupted.losses.subList(7, STEPS), second.losses);
        assertArrayEquals(reference.parameters().data().asFloat(), resumed.parameters().data().asFloat());
    }

    @Test
    void cancelledRunStopsBeforeTheNextIteration() {
        Recorder recorder = new Recorder();
        Trainer trainer = Trainer.create(spec(8), DatasetLoader.standard().load(spec(8).dataset(), 8));
        TrainingResult result = trainer.train(recorder,
                () -> recorder.losses.size() == 4 ? StopRequest.cancel("user cancelled the sweep") : null, null);
        assertEquals(TrainingResult.Outcome.CANCELLED, result.outcome());
        assertEquals(4, result.iterations());
        assertEquals(4, recorder.losses.size());
        assertEquals("user cancelled the sweep", result.reason());
    }

    @Test
    void checkpointOfAnotherSpecIsNotResumed(@TempDir Path checkpoints) {
        CheckpointStore store = new CheckpointStore(checkpoints);
        Recorder first = new Recorder();
        first.crashAfter = 12;
        assertThrows(SimulatedCrash.class, () -> train(spec(9), first, RunControl.NEVER, store));
        Recorder other = new Recorder();
        train(spec(10), other, RunControl.NEVER, store);
        assertEquals(0, other.resumedAfter);
        assertEquals(STEPS, other.losses.size());
    }

    private static Trainer train(RunSpec spec, Recorder recorder, RunControl control, CheckpointStore store) {
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        Trainer trainer = Trainer.create(spec, data);
        recorder.lastResult = trainer.train(recorder, control, store);
        return trainer;
    }

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash");
        }
    }

    static final class Recorder implements TrainingListener {
        final List<Double> losses = new ArrayList<>();
        final List<Double> noiseScales = new ArrayList<>();
        final List<String> validations = new ArrayList<>();
        final List<Long> validationIterations = new ArrayList<>();
        long resumedAfter = -1;
        long crashAfter = Long.MAX_VALUE;
        TrainingResult lastResult;

        @Override
        public void started(TrainingPlan plan, long resumedAfter) {
            this.resumedAfter = resumedAfter;
        }

        @Override
        public void iteration(IterationRecord record) {
            losses.add(record.loss());
            if (record.noise() != null) {
                noiseScales.add(record.noise().traceSigma());
            }
            if (record.iteration() == crashAfter) {
                throw new SimulatedCrash();
            }
        }

        @Override
        public void validated(ValidationRecord record) {
            validationIterations.add(record.iteration());
            validations.add(record.iteration() + ":" + record.trainLoss() + ":" + record.valLoss() + ":" + record.valAccuracy());
        }
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.study.TargetCrossing;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the default path (the dense one for this mlp) and on DL4J's path alike. */
class DeterminismAndResumeTest {
    /** 480 training rows, batch 32: 15 steps per epoch, so 40 steps cross two epoch boundaries. */
    private static final int STEPS = 40;

    private static RunSpec spec(long seed) {
        RunSpec base = Specs.blobsMlp(Specs.optimizer(OptimizerType.ADAM), 32, BudgetSpec.steps(STEPS), new NoiseSpec(3, 4));
        return new RunSpec(base.dataset(), base.model(), base.loss(), base.optimizer(), base.batchSize(),
                base.learningRate(), base.budget(), seed, base.noise(), base.validation(), null, new CheckpointSpec(5, 0), null);
    }

    /** The same run with a target loss; stopAtTarget or not. */
    private static RunSpec withTarget(RunSpec base, double target, boolean stopAtTarget) {
        return new RunSpec(base.dataset(), base.model(), base.loss(), base.optimizer(), base.batchSize(),
                base.learningRate(), base.budget(), base.seed(), base.noise(), base.validation(), target,
                base.checkpoint(), stopAtTarget);
    }

    /** A target that the smoothed loss of {@code losses} first reaches at iteration 23 or before, and where. */
    private static double targetNear23(List<Double> losses) {
        TargetCrossing smoothing = new TargetCrossing(-Double.MAX_VALUE);
        for (int i = 0; i < 23; i++) {
            smoothing.add(losses.get(i));
        }
        return smoothing.smoothed();
    }

    private static long crossing(List<Double> losses, double target) {
        TargetCrossing crossing = new TargetCrossing(target);
        for (double loss : losses) {
            if (crossing.add(loss)) {
                return crossing.crossedAt().orElseThrow();
            }
        }
        throw new AssertionError("the losses never reach " + target);
    }

    @ParameterizedTest
    @EnumSource(value = EnginePath.class, names = {"AUTO", "DL4J"})
    void sameSeedGivesTheSameLossesBitForBit(EnginePath path) {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        Trainer a = train(path, spec(3), first, RunControl.NEVER, null);
        Trainer b = train(path, spec(3), second, RunControl.NEVER, null);
        assertEquals(STEPS, first.losses.size());
        assertEquals(first.losses, second.losses);
        assertEquals(first.noiseScales, second.noiseScales);
        assertArrayEquals(a.parameters().data().asFloat(), b.parameters().data().asFloat());

        Recorder other = new Recorder();
        train(path, spec(4), other, RunControl.NEVER, null);
        assertNotEquals(first.losses, other.losses, "another seed draws other data and another order");
    }

    @ParameterizedTest
    @EnumSource(value = EnginePath.class, names = {"AUTO", "DL4J"})
    void resumedRunMatchesUninterruptedRun(EnginePath path, @TempDir Path checkpoints) {
        Recorder uninterrupted = new Recorder();
        Trainer reference = train(path, spec(5), uninterrupted, RunControl.NEVER, null);

        // The first attempt dies after iteration 13; its last checkpoint is at 10.
        Recorder crashed = new Recorder();
        crashed.crashAfter = 13;
        CheckpointStore store = new CheckpointStore(checkpoints);
        assertThrows(SimulatedCrash.class, () -> train(path, spec(5), crashed, RunControl.NEVER, store));

        Recorder resumed = new Recorder();
        Trainer second = train(path, spec(5), resumed, RunControl.NEVER, store);
        assertEquals(10, resumed.resumedAfter);
        assertEquals(uninterrupted.losses.subList(10, STEPS), resumed.losses);
        assertEquals(List.of(15L, 30L, 40L), uninterrupted.validationIterations);
        assertEquals(uninterrupted.validations, resumed.validations,
                "the validation at 15 includes the train losses of 1..10 from before the crash");
        assertArrayEquals(reference.parameters().data().asFloat(), second.parameters().data().asFloat());
    }

    @ParameterizedTest
    @EnumSource(value = EnginePath.class, names = {"AUTO", "DL4J"})
    void suspendedRunSavesWhereItStopsAndContinuesFromThere(EnginePath path, @TempDir Path checkpoints) {
        Recorder uninterrupted = new Recorder();
        Trainer reference = train(path, spec(6), uninterrupted, RunControl.NEVER, null);

        Recorder first = new Recorder();
        CheckpointStore store = new CheckpointStore(checkpoints);
        train(path, spec(6), first, () -> first.losses.size() == 7 ? StopRequest.suspend("handed to another trainer") : null, store);
        TrainingResult suspended = first.lastResult;
        assertEquals(TrainingResult.Outcome.SUSPENDED, suspended.outcome());
        assertEquals(7, suspended.iterations());

        Recorder second = new Recorder();
        Trainer resumed = train(path, spec(6), second, RunControl.NEVER, store);
        assertEquals(7, second.resumedAfter);
        assertEquals(uninterrupted.losses.subList(7, STEPS), second.losses);
        assertArrayEquals(reference.parameters().data().asFloat(), resumed.parameters().data().asFloat());
    }

    @Test
    void stopAtTargetEndsAtTheCrossingWithALastValidation() {
        Recorder free = new Recorder();
        train(spec(5), free, RunControl.NEVER, null);
        double target = targetNear23(free.losses);
        long expected = crossing(free.losses, target);
        assertTrue(expected > 15 && expected <= 23, "between two validations: " + expected);

        Recorder stopping = new Recorder();
        train(withTarget(spec(5), target, true), stopping, RunControl.NEVER, null);
        TrainingResult result = stopping.lastResult;
        assertEquals(TrainingResult.Outcome.REACHED_TARGET, result.outcome());
        assertEquals(expected, result.iterations());
        assertEquals(expected, result.reachedTargetAt());
        assertEquals(free.losses.subList(0, (int) expected), stopping.losses, "the target changes nothing but the end");
        assertEquals(List.of(15L, expected), stopping.validationIterations, "one last validation at the crossing");

        Recorder throughTheTarget = new Recorder();
        train(withTarget(spec(5), target, false), throughTheTarget, RunControl.NEVER, null);
        assertEquals(TrainingResult.Outcome.COMPLETED, throughTheTarget.lastResult.outcome());
        assertEquals(STEPS, throughTheTarget.lastResult.iterations());
        assertEquals(expected, throughTheTarget.lastResult.reachedTargetAt(), "without stopAtTarget the crossing is reported");
    }

    @Test
    void resumedRunReachesTheTargetAtTheSameIteration(@TempDir Path checkpoints) {
        Recorder free = new Recorder();
        train(spec(5), free, RunControl.NEVER, null);
        double target = targetNear23(free.losses);
        RunSpec stopping = withTarget(spec(5), target, true);
        Recorder uninterrupted = new Recorder();
        train(stopping, uninterrupted, RunControl.NEVER, null);

        // the first attempt dies after iteration 13, its last checkpoint at 10 holds the target criterion's state
        Recorder crashed = new Recorder();
        crashed.crashAfter = 13;
        CheckpointStore store = new CheckpointStore(checkpoints);
        assertThrows(SimulatedCrash.class, () -> train(stopping, crashed, RunControl.NEVER, store));
        assertEquals(10, store.load(Trainer.fingerprint(stopping)).orElseThrow().targetCrossing().iterations());

        Recorder resumed = new Recorder();
        train(stopping, resumed, RunControl.NEVER, store);
        assertEquals(10, resumed.resumedAfter);
        assertEquals(uninterrupted.lastResult.iterations(), resumed.lastResult.iterations());
        assertEquals(uninterrupted.lastResult.reachedTargetAt(), resumed.lastResult.reachedTargetAt());
        assertEquals(TrainingResult.Outcome.REACHED_TARGET, resumed.lastResult.outcome());
        assertEquals(uninterrupted.validations, resumed.validations);
    }

    @Test
    void aRunStopsAtItsStepCapAsPrunedUnlessItReachedTheTarget() {
        Recorder capped = new Recorder();
        RunControl capAt12 = new RunControl() {
            @Override
            public StopRequest poll() {
                return null;
            }

            @Override
            public long stepCap() {
                return 12;
            }
        };
        train(withTarget(spec(5), 1e-6, true), capped, capAt12, null);
        assertEquals(TrainingResult.Outcome.PRUNED, capped.lastResult.outcome());
        assertEquals(12, capped.lastResult.iterations());
        assertEquals(12, capped.losses.size());
        assertNull(capped.lastResult.reachedTargetAt());
        assertEquals(List.of(12L), capped.validationIterations, "one last validation where it stopped");

        // a cap that arrives after the run passed it stops the run before its next iteration
        Recorder late = new Recorder();
        train(withTarget(spec(5), 1e-6, true), late, new RunControl() {
            @Override
            public StopRequest poll() {
                return null;
            }

            @Override
            public long stepCap() {
                return late.losses.size() < 20 ? Long.MAX_VALUE : 16;
            }
        }, null);
        assertEquals(TrainingResult.Outcome.PRUNED, late.lastResult.outcome());
        assertEquals(20, late.lastResult.iterations());
        assertEquals(List.of(15L, 20L), late.validationIterations);
    }

    @Test
    void aLossThatStopsBeingFiniteIsADivergenceNotAFailure() {
        RunSpec tooFast = Specs.linearRegression(500, 8, 1.0, 10, BudgetSpec.steps(10_000), NoiseSpec.OFF);
        RunSpec diverging = new RunSpec(tooFast.dataset(), tooFast.model(), tooFast.loss(), tooFast.optimizer(),
                tooFast.batchSize(), dev.batchscope.events.spec.LearningRateSpec.constant(50.0), tooFast.budget(),
                tooFast.seed(), tooFast.noise(), tooFast.validation(), null, tooFast.checkpoint(), null);
        Recorder recorder = new Recorder();
        DivergedException e = assertThrows(DivergedException.class, () -> train(diverging, recorder, RunControl.NEVER, null));
        assertEquals(recorder.losses.size() + 1, e.iteration(), "the first step whose loss is not finite");
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = EnginePath.class, names = {"AUTO", "DL4J"})
    void cancelledRunStopsBeforeTheNextIteration(EnginePath path) {
        Recorder recorder = new Recorder();
        Trainer trainer = Trainer.create(spec(8), DatasetLoader.standard().load(spec(8).dataset(), 8), path);
        TrainingResult result = trainer.train(recorder,
                () -> recorder.losses.size() == 4 ? StopRequest.cancel("user cancelled the sweep") : null, null);
        assertEquals(TrainingResult.Outcome.CANCELLED, result.outcome());
        assertEquals(4, result.iterations());
        assertEquals(4, recorder.losses.size());
        assertEquals("user cancelled the sweep", result.reason());
    }

    @Test
    void noCheckpointGetsAheadOfWhatWasDelivered(@TempDir Path checkpoints) {
        Recorder uninterrupted = new Recorder();
        train(spec(11), uninterrupted, RunControl.NEVER, null);

        // Checkpoints are due every 5 iterations. Delivery up to iteration 10 is not confirmed, so the checkpoint due
        // there is skipped: after the crash at 13 the next attempt resumes after 5 and reports 6..13 again.
        Recorder undelivered = new Recorder();
        undelivered.undeliveredAt = 10;
        undelivered.crashAfter = 13;
        CheckpointStore store = new CheckpointStore(checkpoints);
        assertThrows(SimulatedCrash.class, () -> train(spec(11), undelivered, RunControl.NEVER, store));
        assertEquals(List.of(5L, 10L), undelivered.deliveryChecks, "delivery is asked before each checkpoint, and only then");

        Recorder resumed = new Recorder();
        train(spec(11), resumed, RunControl.NEVER, store);
        assertEquals(5, resumed.resumedAfter);
        assertEquals(uninterrupted.losses.subList(5, STEPS), resumed.losses);
    }

    @ParameterizedTest
    @EnumSource(value = EnginePath.class, names = {"AUTO", "DL4J"})
    void checkpointOfAnotherSpecIsNotResumed(EnginePath path, @TempDir Path checkpoints) {
        CheckpointStore store = new CheckpointStore(checkpoints);
        Recorder first = new Recorder();
        first.crashAfter = 12;
        assertThrows(SimulatedCrash.class, () -> train(path, spec(9), first, RunControl.NEVER, store));
        Recorder other = new Recorder();
        train(path, spec(10), other, RunControl.NEVER, store);
        assertEquals(0, other.resumedAfter);
        assertEquals(STEPS, other.losses.size());
    }

    /** On the default path. */
    private static Trainer train(RunSpec spec, Recorder recorder, RunControl control, CheckpointStore store) {
        return train(EnginePath.AUTO, spec, recorder, control, store);
    }

    private static Trainer train(EnginePath path, RunSpec spec, Recorder recorder, RunControl control, CheckpointStore store) {
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        Trainer trainer = Trainer.create(spec, data, path);
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
        long undeliveredAt = -1;
        final List<Long> deliveryChecks = new ArrayList<>();
        TrainingResult lastResult;

        @Override
        public boolean delivered(long iteration) {
            deliveryChecks.add(iteration);
            return iteration != undeliveredAt;
        }

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

package dev.batchscope.metrics.engine;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;

import java.time.Instant;

/** Small event factories for the unit tests of the engine and the export. */
public final class Events {
    public static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private Events() {
    }

    public static IterationMetrics iteration(String run, int attempt, long it, double loss) {
        return iteration(run, attempt, it, loss, null);
    }

    static IterationMetrics iteration(String run, int attempt, long it, double loss, NoiseMeasurement noise) {
        return new IterationMetrics(Event.SCHEMA_VERSION, run, "sw", T0.plusMillis(it), attempt, it,
                (int) ((it - 1) / 10), it * 32, loss, 1.0 + it / 100.0, 0.05, it * 5, 6400.0 + it, noise);
    }

    static NoiseMeasurement noise(double traceSigma, double gradNormSq) {
        return new NoiseMeasurement(4, 8, traceSigma / 8, traceSigma, gradNormSq,
                gradNormSq > 0 ? traceSigma / gradNormSq : null);
    }

    public static EpochMetrics eval(String run, int attempt, int epoch, long it, double trainLoss, double valLoss,
                             Double accuracy) {
        return new EpochMetrics(Event.SCHEMA_VERSION, run, "sw", T0.plusMillis(it), attempt, epoch, it, it * 32,
                trainLoss, valLoss, accuracy, it * 5);
    }

    static RunSpec spec(int batchSize, long seed, Double target) {
        return new RunSpec(DatasetSpec.of(DatasetKind.SYNTHETIC_BLOBS), ModelSpec.of(ModelType.MLP), null, null,
                BatchSize.of(batchSize), LearningRateSpec.constant(0.05), BudgetSpec.steps(1000), seed, null, null,
                target, null, null);
    }

    public static RunStatusChanged status(String run, String sweep, RunState state, int attempt, int batchSize,
                                   Instant at, Double target) {
        return new RunStatusChanged(Event.SCHEMA_VERSION, run, sweep, at, state, attempt,
                state == RunState.QUEUED ? null : "trainer-1", state == RunState.QUEUED ? null : batchSize,
                state == RunState.QUEUED ? null : 0.05, null, spec(batchSize, 1, target),
                new SweepRef(sweep, T0, 3, 0, null, null, null), null, null);
    }
}

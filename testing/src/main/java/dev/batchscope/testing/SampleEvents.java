package dev.batchscope.testing;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunRequested;
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
import java.util.List;

/** Valid example events for tests: one of each type, all of the same run. */
public final class SampleEvents {
    public static final String SWEEP_ID = "sw-test";
    public static final String RUN_ID = "sw-test-r0";
    private static final Instant AT = Instant.parse("2026-11-26T12:00:00.123Z");

    private SampleEvents() {
    }

    public static RunSpec runSpec() {
        return new RunSpec(DatasetSpec.of(DatasetKind.SYNTHETIC_BLOBS), ModelSpec.of(ModelType.MLP), null, null,
                BatchSize.of(32), LearningRateSpec.constant(0.05), BudgetSpec.epochs(2), 7L, null, null, 0.5, null, null);
    }

    public static SweepRef sweepRef() {
        return new SweepRef("textbook", AT, 6, 0, null, null, null);
    }

    public static RunRequested runRequested() {
        return new RunRequested(Event.SCHEMA_VERSION, RUN_ID, SWEEP_ID, AT, runSpec(), sweepRef());
    }

    public static RunStatusChanged running() {
        return new RunStatusChanged(Event.SCHEMA_VERSION, RUN_ID, SWEEP_ID, AT, RunState.RUNNING, 1, "trainer-1",
                32, 0.05, null, runSpec(), sweepRef(), null, null);
    }

    public static IterationMetrics iteration(long iteration) {
        NoiseMeasurement noise = iteration % 10 == 0
                ? new NoiseMeasurement(4, 8, 0.25, 2.0, 0.5, 4.0) : null;
        return new IterationMetrics(Event.SCHEMA_VERSION, RUN_ID, SWEEP_ID, AT, 1, iteration, 0, iteration * 32,
                2.3 / iteration, 1.5, 0.05, iteration * 10, 3200.0, noise);
    }

    public static EpochMetrics epoch() {
        return new EpochMetrics(Event.SCHEMA_VERSION, RUN_ID, SWEEP_ID, AT, 1, 1, 128L, 4096L, 0.61, 0.65, 0.82, 1234L);
    }

    public static RunCancelled cancelled() {
        return new RunCancelled(Event.SCHEMA_VERSION, RUN_ID, SWEEP_ID, AT, "cancelled by user");
    }

    /** One event of every type (an iteration with and one without a noise measurement). */
    public static List<Event> everyType() {
        return List.of(runRequested(), running(), iteration(10), iteration(11), epoch(), cancelled());
    }
}

package dev.batchscope.events.json;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.RunStepCap;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.PruningRule;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.events.spec.SweepSpec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study's spec fields: defaults, expansion into runs, and the events that carry them. */
class StudySpecTest {

    private static SweepSpec yaml(String text) {
        return EventJson.readSweepYaml(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fixedIsTheDefaultAndStopsNothing() {
        SweepSpec sweep = yaml("""
                name: textbook
                dataset: {name: synthetic-blobs}
                model: {type: mlp, hidden: [8]}
                batchSizes: [16, 32]
                learningRate: {base: 0.1}
                budget: {epochs: 1}
                targetLoss: 0.5
                """);
        assertEquals(Protocol.FIXED, sweep.protocol());
        assertFalse(sweep.stopAtTarget());
        assertEquals(PruningSpec.NONE, sweep.pruning());
        List<RunSpec> runs = sweep.expand();
        assertEquals(2, runs.size());
        assertFalse(runs.get(0).stopAtTarget());
        assertEquals(0.1, runs.get(1).learningRate().base());
    }

    @Test
    void tunedGridExpandsByBatchSizeThenLearningRateAscendingThenSeed() {
        SweepSpec sweep = yaml("""
                name: study
                protocol: tuned
                dataset: {name: synthetic-blobs}
                model: {type: mlp, hidden: [8]}
                batchSizes: [16, 64]
                seeds: [2, 1]
                learningRate: {grid: [0.3, 0.03, 0.1], scaling: linear, baseBatchSize: 32, warmup: {iterations: 5}}
                budget: {epochs: 1}
                targetLoss: 0.5
                """);
        assertTrue(sweep.stopAtTarget(), "stopAtTarget defaults to true in tuned");
        assertEquals(new PruningSpec(PruningRule.MARGIN, 1.5), sweep.pruning(), "pruning defaults to margin 1.5");
        List<RunSpec> runs = sweep.expand();
        assertEquals(2 * 3 * 2, runs.size());
        // batch 16 is half the base batch size: linear scaling halves every candidate
        List<Double> expected = List.of(0.015, 0.015, 0.05, 0.05, 0.15, 0.15, 0.06, 0.06, 0.2, 0.2, 0.6, 0.6);
        for (int i = 0; i < runs.size(); i++) {
            RunSpec run = runs.get(i);
            assertEquals(i < 6 ? BatchSize.of(16) : BatchSize.of(64), run.batchSize(), "run " + i);
            assertEquals(expected.get(i), run.learningRate().base(), 1e-12, "run " + i);
            assertEquals(LrScaling.NONE, run.learningRate().scaling(), "each run carries its resolved rate");
            assertEquals(5, run.learningRate().warmup().iterations(), "warmup is kept");
            assertEquals(i % 2 == 0 ? 2L : 1L, run.seed(), "seeds in the order given");
            assertTrue(run.stopAtTarget());
            assertEquals(0.5, run.targetLoss());
            assertNull(run.learningRate().grid(), "a run has no candidates");
        }
    }

    @Test
    void searchIsLogSpacedWithBothEndsExact() {
        SweepSpec sweep = yaml("""
                name: study
                protocol: tuned
                dataset: {name: synthetic-blobs}
                model: {type: mlp, hidden: [8]}
                batchSizes: [32]
                learningRate: {search: {min: 0.01, max: 1.0, count: 5}}
                budget: {epochs: 1}
                targetLoss: 0.5
                stopAtTarget: false
                """);
        List<Double> rates = sweep.expand().stream().map(run -> run.learningRate().base()).toList();
        assertEquals(0.01, rates.get(0));
        assertEquals(0.01 * Math.sqrt(10), rates.get(1), 1e-12);
        assertEquals(0.1, rates.get(2), 1e-12);
        assertEquals(0.1 * Math.sqrt(10), rates.get(3), 1e-12);
        assertEquals(1.0, rates.get(4));
        assertEquals(PruningSpec.NONE, sweep.pruning(), "no pruning by default when runs do not stop at the target");
        assertFalse(sweep.expand().get(0).stopAtTarget());
    }

    @Test
    void fullBatchKeepsTheScalingRuleForTheTrainerToApply() {
        SweepSpec sweep = yaml("""
                name: study
                protocol: tuned
                dataset: {name: synthetic-blobs}
                model: {type: mlp, hidden: [8]}
                batchSizes: [full]
                learningRate: {grid: [0.1], scaling: sqrt, baseBatchSize: 16}
                budget: {epochs: 1}
                targetLoss: 0.5
                """);
        RunSpec run = sweep.expand().get(0);
        assertEquals(LrScaling.SQRT, run.learningRate().scaling());
        assertEquals(0.1 * Math.sqrt(1024.0 / 16), run.learningRate().forBatchSize(1024), 1e-12);
    }

    @Test
    void aRunSpecRefusesCandidatesAndStopAtTargetWithoutATarget() {
        RunSpec valid = yaml("""
                name: study
                protocol: tuned
                dataset: {name: synthetic-blobs}
                model: {type: mlp, hidden: [8]}
                batchSizes: [32]
                learningRate: {grid: [0.1]}
                budget: {epochs: 1}
                targetLoss: 0.5
                """).expand().get(0);
        RunSpec noTarget = new RunSpec(valid.dataset(), valid.model(), valid.loss(), valid.optimizer(), valid.batchSize(),
                valid.learningRate(), valid.budget(), valid.seed(), valid.noise(), valid.validation(), null,
                valid.checkpoint(), true);
        var e = assertThrows(dev.batchscope.events.validation.ValidationException.class,
                () -> dev.batchscope.events.validation.SpecValidator.requireValid(noTarget));
        assertEquals("stopAtTarget", e.violations().get(0).field());
    }

    @Test
    void studyEventsTravelWithTheirWireNames() {
        RunStatusChanged reached = new RunStatusChanged(Event.SCHEMA_VERSION, "sw-1-r0", "sw-1",
                Instant.parse("2026-11-26T12:00:00Z"), RunState.SUCCEEDED, 1, "t1", 32, 0.1, null, null,
                new SweepRef("study", Instant.parse("2026-11-26T11:00:00Z"), 4, 0, null, Protocol.TUNED,
                        new PruningSpec(PruningRule.MARGIN, 2.0)), RunOutcome.REACHED_TARGET, 57L);
        String json = new String(EventJson.write(reached), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"outcome\":\"reached-target\""), json);
        assertTrue(json.contains("\"protocol\":\"tuned\""), json);
        assertTrue(json.contains("\"pruning\":{\"rule\":\"margin\",\"margin\":2.0}"), json);
        assertEquals(reached, EventJson.readEvent(json.getBytes(StandardCharsets.UTF_8)));

        RunStepCap cap = RunStepCap.of("sw-1-r1", "sw-1", 86, "r0 reached the target at 57; margin 1.5");
        String capJson = new String(EventJson.write(cap), StandardCharsets.UTF_8);
        assertTrue(capJson.contains("\"type\":\"RunStepCap\""), capJson);
        assertEquals(cap, EventJson.readEvent(capJson.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyOutcomeBelongsToOneTerminalStateAndDivergedNeverFails() {
        for (RunOutcome outcome : RunOutcome.values()) {
            assertTrue(outcome.state().terminal(), outcome.wire());
        }
        assertEquals(RunState.DIVERGED, RunOutcome.DIVERGED.state());
        assertTrue(RunState.DIVERGED.terminal());
        assertEquals(RunState.SUCCEEDED, RunOutcome.PRUNED.state());
        assertEquals(List.of("completed", "reached-target", "pruned", "diverged", "cancelled", "data", "invalid-spec",
                "internal"), List.of(RunOutcome.values()).stream().map(RunOutcome::wire).toList());
    }

    @Test
    void endedTakesItsStateFromTheOutcomeAndNextRefusesTerminalStates() {
        RunStatusChanged running = new RunStatusChanged(Event.SCHEMA_VERSION, "r1", "s1", Instant.now(), RunState.RUNNING,
                1, "t1", 32, 0.1, null, null, null, null, null);
        RunStatusChanged diverged = running.ended(RunOutcome.DIVERGED, 1, "t1", "loss became NaN at iteration 3");
        assertEquals(RunState.DIVERGED, diverged.state());
        assertEquals(RunOutcome.DIVERGED, diverged.outcome());
        assertThrows(IllegalArgumentException.class, () -> running.next(RunState.SUCCEEDED, 1, "t1", null));
    }
}

package dev.batchscope.scheduler.pruning;

import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.PruningRule;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.scheduler.state.SweepStore;
import dev.batchscope.scheduler.support.Specs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepCapsTest {
    private final SweepStore store = new SweepStore();

    /** The tuned spec of Specs.tuned with two seeds: runs (batch, lr, seed) in expansion order, all RUNNING. */
    private List<RunStatusChanged> running(String sweepId, PruningSpec pruning) {
        SweepSpec spec = EventJson.readSweepJson(Specs.tuned("caps", null).replace("\"budget\"", "\"seeds\": [1, 2], \"budget\"")
                .getBytes(StandardCharsets.UTF_8));
        List<RunSpec> runs = spec.expand();
        List<RunStatusChanged> statuses = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            SweepRef ref = new SweepRef("caps", Instant.now(), runs.size(), i, null, spec.protocol(), pruning);
            RunStatusChanged queued = RunStatusChanged.queued(RunRequested.of(sweepId + "-r" + i, sweepId, runs.get(i), ref));
            statuses.add(queued.next(RunState.RUNNING, 1, "t", null));
        }
        store.applyLocal(statuses);
        return statuses;
    }

    private void reached(RunStatusChanged running, long at) {
        store.applyLocal(List.of(running.ended(RunOutcome.REACHED_TARGET, 1, "t", null).withReachedTargetAt(at)));
    }

    @Test
    void onlyRunsOfTheSameBatchSizeAndSeedThatHaveNotEndedAreCapped() {
        // index = batch (16, 64) x 6 + lr (0.03, 0.1, 0.3) x 2 + seed (1, 2)
        List<RunStatusChanged> runs = running("sw-caps", PruningSpec.DEFAULT_MARGIN_RULE);
        reached(runs.get(2), 20); // batch 16, lr 0.1, seed 1
        reached(runs.get(4), 33); // batch 16, lr 0.3, seed 1: later than the best, ended all the same
        List<StepCaps.Cap> caps = StepCaps.of(store.sweep("sw-caps").orElseThrow());
        assertEquals(List.of(new StepCaps.Cap("sw-caps-r0", 30, "sw-caps-r2", 20)), caps);
        assertEquals("run sw-caps-r2 of the same batch size and seed reached the target at iteration 20; margin 1.5 caps "
                + "the others at 30", caps.get(0).reason(PruningSpec.DEFAULT_MARGIN_RULE));
    }

    @Test
    void theCapIsTheMarginTimesTheBestRoundedUp() {
        List<RunStatusChanged> runs = running("sw-margin", new PruningSpec(PruningRule.MARGIN, 1.25));
        reached(runs.get(7), 41); // batch 64, lr 0.03, seed 2
        assertEquals(List.of(new StepCaps.Cap("sw-margin-r9", 52, "sw-margin-r7", 41),
                new StepCaps.Cap("sw-margin-r11", 52, "sw-margin-r7", 41)), StepCaps.of(store.sweep("sw-margin").orElseThrow()));
    }

    @Test
    void ruleNoneCapsNothing() {
        List<RunStatusChanged> runs = running("sw-none", PruningSpec.NONE);
        reached(runs.get(0), 10);
        assertEquals(List.of(), StepCaps.of(store.sweep("sw-none").orElseThrow()));
    }
}

package dev.batchscope.scheduler.state;

import dev.batchscope.events.Event;
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
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SweepStoreTest {
    private static final Instant CREATED = Instant.parse("2026-11-26T10:00:00Z");

    private final SweepStore store = new SweepStore();

    @Test
    void aTerminalStateNeverChangesAgain() {
        RunStatusChanged queued = queued("sw-a", 0, "key-a");
        store.applyRead(queued, at(0, 1));
        store.applyRead(queued.ended(RunOutcome.COMPLETED, 1, "t1", null), at(0, 2));
        assertEquals(SweepStore.Outcome.AFTER_TERMINAL, store.applyRead(queued.next(RunState.RUNNING, 2, "t2", null), at(0, 3)));
        assertEquals(RunState.SUCCEEDED, state("sw-a", 0));
    }

    @Test
    void queuedNeverReplacesAStateTheRunHasMovedOnTo() {
        RunStatusChanged queued = queued("sw-b", 0, null);
        store.applyRead(queued.next(RunState.RUNNING, 1, "t1", null), at(3, 7));
        assertEquals(SweepStore.Outcome.QUEUED_AFTER_START, store.applyRead(queued, at(3, 8)));
        assertEquals(RunState.RUNNING, state("sw-b", 0));
    }

    @Test
    void aRecordReadAgainAtOrBeforeTheLastPositionIsAReplay() {
        RunStatusChanged queued = queued("sw-c", 0, null);
        store.applyRead(queued, at(1, 10));
        store.applyRead(queued.next(RunState.RUNNING, 1, "t1", null), at(1, 11));
        assertEquals(SweepStore.Outcome.REPLAYED, store.applyRead(queued.next(RunState.RUNNING, 1, "t1", null), at(1, 11)));
        assertEquals(SweepStore.Outcome.REPLAYED, store.applyRead(queued, at(1, 10)));
        assertEquals(RunState.RUNNING, state("sw-c", 0));
    }

    @Test
    void aLocalChangeShowsAtOnceAndGivesWayWhenTheTopicOvertakesIt() {
        RunStatusChanged queued = queued("sw-d", 0, null);
        store.applyRead(queued, at(2, 1));
        RunStatusChanged cancelled = queued.ended(RunOutcome.CANCELLED, 0, null, "cancelled by user");
        store.applyLocal(List.of(cancelled));
        assertEquals(RunState.CANCELLED, state("sw-d", 0));

        // the run had in fact finished before the cancel reached the topic: the topic's order decides
        store.applyRead(queued.ended(RunOutcome.COMPLETED, 1, "t1", null), at(2, 2));
        store.applyRead(cancelled, at(2, 3));
        assertEquals(RunState.SUCCEEDED, state("sw-d", 0));
        assertNull(store.sweep("sw-d").orElseThrow().runs().get(0).pending());
    }

    @Test
    void aLocalChangeIsClearedWhenReadBack() {
        RunStatusChanged queued = queued("sw-e", 0, null);
        store.applyLocal(List.of(queued));
        assertEquals(RunState.QUEUED, state("sw-e", 0));
        store.applyRead(queued, at(0, 5));
        assertNull(store.sweep("sw-e").orElseThrow().runs().get(0).pending());
    }

    @Test
    void sweepStateFollowsItsRuns() {
        RunStatusChanged r0 = queued("sw-f", 0, null);
        RunStatusChanged r1 = queued("sw-f", 1, null);
        store.applyLocal(List.of(r0, r1));
        assertEquals(RunState.QUEUED, store.sweep("sw-f").orElseThrow().state());
        store.applyRead(r0.ended(RunOutcome.COMPLETED, 1, "t", null), at(0, 1));
        assertEquals(RunState.RUNNING, store.sweep("sw-f").orElseThrow().state());
        store.applyRead(r1.ended(RunOutcome.INTERNAL, 1, "t", "training failed"), at(1, 1));
        assertEquals(RunState.FAILED, store.sweep("sw-f").orElseThrow().state());
    }

    @Test
    void aDivergedRunEndsButNeverFailsItsSweep() {
        RunStatusChanged r0 = queued("sw-dv", 0, null);
        RunStatusChanged r1 = queued("sw-dv", 1, null);
        store.applyLocal(List.of(r0, r1));
        store.applyRead(r0.ended(RunOutcome.DIVERGED, 1, "t", "loss became NaN at iteration 4"), at(0, 1));
        assertEquals(RunState.RUNNING, store.sweep("sw-dv").orElseThrow().state());
        assertEquals(SweepStore.Outcome.AFTER_TERMINAL, store.applyRead(r0.next(RunState.RUNNING, 2, "t", null), at(0, 2)),
                "DIVERGED is terminal");
        store.applyRead(r1.ended(RunOutcome.REACHED_TARGET, 1, "t", null), at(1, 1));
        assertEquals(RunState.SUCCEEDED, store.sweep("sw-dv").orElseThrow().state());
        assertEquals(1, store.sweep("sw-dv").orElseThrow().counts().get(RunState.DIVERGED));
    }

    @Test
    void anIdempotencyKeyFindsItsSweepAndTheNewestSweepWinsAKey() {
        store.applyLocal(List.of(queued("sw-g", 0, "shared")));
        RunStatusChanged later = queued("sw-h", 0, "shared");
        RunStatusChanged newer = new RunStatusChanged(later.schemaVersion(), later.runId(), later.sweepId(), later.emittedAt(),
                later.state(), later.attempt(), null, null, null, null, later.run(),
                new SweepRef("s", CREATED.plusSeconds(60), 1, 0, "shared", null, null), null, null);
        store.applyLocal(List.of(newer));
        assertEquals("sw-h", store.sweepIdForIdempotencyKey("shared").orElseThrow());
    }

    @Test
    void sweepsAreListedNewestFirst() {
        store.applyLocal(List.of(queued("sw-old", 0, null)));
        RunStatusChanged n = queued("sw-new", 0, null);
        store.applyLocal(List.of(new RunStatusChanged(n.schemaVersion(), n.runId(), n.sweepId(), n.emittedAt(), n.state(),
                n.attempt(), null, null, null, null, n.run(), new SweepRef("s", CREATED.plusSeconds(1), 1, 0, null, null, null), null, null)));
        assertEquals(List.of("sw-new", "sw-old"), store.newestFirst().stream().map(SweepState::sweepId).toList());
    }

    private RunState state(String sweepId, int index) {
        return store.sweep(sweepId).orElseThrow().runs().get(index).current().state();
    }

    private static StatusPosition at(int partition, long offset) {
        return new StatusPosition(partition, offset);
    }

    private static RunStatusChanged queued(String sweepId, int index, String key) {
        RunSpec spec = new RunSpec(DatasetSpec.of(DatasetKind.SYNTHETIC_BLOBS), ModelSpec.of(ModelType.MLP), null, null,
                BatchSize.of(16 << index), LearningRateSpec.constant(0.1), BudgetSpec.epochs(1), 1L, null, null, null, null, null);
        return RunStatusChanged.queued(new RunRequested(Event.SCHEMA_VERSION, sweepId + "-r" + index, sweepId, Instant.now(),
                spec, new SweepRef("s", CREATED, 2, index, key, null, null)));
    }
}

package dev.batchscope.metrics.engine;

import dev.batchscope.events.spec.RunState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest {

    @Test
    void ceilingPushesOutTheRunThatFinishedFirst() {
        Store store = new Store(EngineSettings.defaults().withMaxTrackedRuns(3));
        store.assign(List.of(0), 1);
        store.applyStatus(Events.status("a", "sw", RunState.SUCCEEDED, 1, 16, Events.T0.plusSeconds(20), null), 0);
        store.applyStatus(Events.status("b", "sw", RunState.FAILED, 1, 32, Events.T0.plusSeconds(10), null), 0);
        store.applyStatus(Events.status("c", "sw", RunState.RUNNING, 1, 64, Events.T0.plusSeconds(5), null), 0);
        store.applyStatus(Events.status("d", "sw", RunState.RUNNING, 1, 128, Events.T0.plusSeconds(30), null), 0);
        assertEquals(3, store.size());
        assertNull(store.run("b"), "b finished first, so it goes first");
        assertNotNull(store.run("a"));
        assertEquals(Store.Verdict.EVICTED, store.applyMetrics(Events.iteration("b", 1, 1, 1.0), 0),
                "a pushed-out run does not come back piece by piece");
        store.applyMetrics(Events.iteration("e", 1, 1, 1.0), 0);
        assertNull(store.run("a"));
        assertTrue(store.drainChanges().removed().stream().anyMatch(r -> r.runId().equals("a")));
    }

    @Test
    void withNothingFinishedTheQuietestRunGoes() {
        Store store = new Store(EngineSettings.defaults().withMaxTrackedRuns(2));
        store.assign(List.of(0), 1);
        store.applyMetrics(Events.iteration("a", 1, 1, 1.0), 0);
        store.applyMetrics(Events.iteration("b", 1, 1, 1.0), 0);
        store.applyMetrics(Events.iteration("a", 1, 2, 1.0), 0);
        store.applyMetrics(Events.iteration("c", 1, 1, 1.0), 0);
        assertNull(store.run("b"));
        assertNotNull(store.run("a"));
    }

    @Test
    void revokedPartitionsLoseMetricsButKeepStatus() {
        Store store = new Store(EngineSettings.defaults());
        store.assign(List.of(0, 1), 7);
        store.applyStatus(Events.status("a", "sw", RunState.RUNNING, 1, 16, Events.T0, null), 0);
        store.applyMetrics(Events.iteration("a", 1, 1, 1.0), 0);
        store.applyMetrics(Events.iteration("b", 1, 1, 1.0), 1);
        store.revoke(List.of(0, 1));
        assertNotNull(store.run("a"));
        assertNull(store.run("a").metrics());
        assertNull(store.run("b"), "a run known only from its metrics goes with them");
        assertFalse(store.reads(0));
    }

    @Test
    void recordsPolledBeforeAnAssignmentAreStale() {
        Store store = new Store(EngineSettings.defaults());
        store.assign(List.of(3), 5);
        assertTrue(store.accepts(3, 5));
        assertTrue(store.accepts(3, 6));
        assertFalse(store.accepts(3, 4));
        assertFalse(store.accepts(2, 5));
    }

    @Test
    void terminalStateNeverChanges() {
        Store store = new Store(EngineSettings.defaults());
        store.applyStatus(Events.status("a", "sw", RunState.SUCCEEDED, 2, 16, Events.T0, null), 0);
        assertEquals(Store.Verdict.DUPLICATE,
                store.applyStatus(Events.status("a", "sw", RunState.RUNNING, 2, 16, Events.T0, null), 0));
        assertEquals(RunState.SUCCEEDED, store.run("a").state());
    }

    @Test
    void targetFromTheSpecReachesMetricsReadEarlier() {
        Store store = new Store(EngineSettings.defaults());
        store.assign(List.of(0), 1);
        for (int it = 1; it <= 100; it++) {
            store.applyMetrics(Events.iteration("a", 1, it, 2.0 / it), 0);
        }
        assertNull(store.run("a").metrics().targetHit());
        store.applyStatus(Events.status("a", "sw", RunState.RUNNING, 1, 16, Events.T0, 0.5), 0);
        assertNotNull(store.run("a").metrics().targetHit());
    }
}

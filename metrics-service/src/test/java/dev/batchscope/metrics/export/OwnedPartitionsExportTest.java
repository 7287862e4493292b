package dev.batchscope.metrics.export;

import dev.batchscope.events.spec.RunState;
import dev.batchscope.metrics.engine.EngineSettings;
import dev.batchscope.metrics.engine.Events;
import dev.batchscope.metrics.engine.Store;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every replica holds every run, but exports only the runs of the metrics partitions it owns in the replicas' shared
 * group: with two replicas each run is in Prometheus once.
 */
class OwnedPartitionsExportTest {

    @Test
    void onlyTheRunsOfOwnedPartitionsAreExportedAndTheyFollowOwnership() {
        Store store = new Store(EngineSettings.defaults());
        store.assign(List.of(0, 1, 2), 1);
        store.applyStatus(Events.status("a", "sw", RunState.RUNNING, 1, 16, Events.T0, null), 0);
        store.applyStatus(Events.status("b", "sw", RunState.RUNNING, 1, 32, Events.T0, null), 1);
        store.applyStatus(Events.status("c", "sw", RunState.RUNNING, 1, 64, Events.T0, null), 2);
        store.applyMetrics(Events.iteration("a", 1, 1, 1.0), 0);
        store.applyMetrics(Events.iteration("b", 1, 1, 1.0), 1);
        store.applyMetrics(Events.iteration("c", 1, 1, 1.0), 2);
        MeterRegistry one = new SimpleMeterRegistry();
        MeterRegistry other = new SimpleMeterRegistry();
        PrometheusExporter replicaOne = new PrometheusExporter(one, Clock.systemUTC(), Duration.ofHours(1));
        PrometheusExporter replicaOther = new PrometheusExporter(other, Clock.systemUTC(), Duration.ofHours(1));
        Store.Changes changes = store.drainChanges();
        replicaOne.apply(store, changes);
        replicaOther.apply(store, changes);
        assertEquals(Set.of(), exportedRuns(one), "nothing owned yet, nothing exported");

        replicaOne.own(List.of(0, 2));
        replicaOne.resyncAll(store);
        replicaOther.own(List.of(1));
        replicaOther.resyncAll(store);
        assertEquals(Set.of("a", "c"), exportedRuns(one));
        assertEquals(Set.of("b"), exportedRuns(other));

        // the other replica leaves: this one is given its partition and exports every run
        replicaOther.disown(List.of(1));
        replicaOther.resyncAll(store);
        replicaOne.own(List.of(1));
        replicaOne.resyncAll(store);
        assertEquals(Set.of("a", "b", "c"), exportedRuns(one));
        assertEquals(Set.of(), exportedRuns(other), "no series of a run is left behind on the replica it left");

        // a new metric of an exported run is exported; one of a run not owned is not
        store.applyMetrics(Events.eval("b", 1, 0, 2, 1.0, 0.9, 0.5), 1);
        Store.Changes later = store.drainChanges();
        replicaOne.apply(store, later);
        replicaOther.apply(store, later);
        assertEquals(1, one.find("batchscope.validation.loss").tag("run", "b").meters().size());
        assertEquals(0, other.getMeters().size());
    }

    private static Set<String> exportedRuns(MeterRegistry registry) {
        Set<String> runs = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            String run = meter.getId().getTag("run");
            if (run != null) {
                runs.add(run);
            }
        }
        return runs;
    }
}

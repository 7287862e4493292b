package dev.batchscope.scheduler.pruning;

import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.RunStepCap;
import dev.batchscope.events.Topics;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.scheduler.kafka.EventPublisher;
import dev.batchscope.scheduler.kafka.StatusReplay;
import dev.batchscope.scheduler.metrics.SchedulerMetrics;
import dev.batchscope.scheduler.state.SweepStore;
import dev.batchscope.scheduler.support.Ready;
import dev.batchscope.scheduler.support.Specs;
import dev.batchscope.scheduler.support.TopicRecords;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.batchscope.scheduler.support.TopicRecords.events;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tuned sweep over the real broker: its expansion, and the step caps the scheduler sends as runs reach the target. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class PruningOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    KafkaBroker broker;

    @Inject
    SweepStore store;

    @Inject
    EventPublisher publisher;

    @Inject
    SchedulerMetrics metrics;

    @BeforeEach
    void serviceIsReady() {
        Ready.await();
    }

    @Test
    void aTunedSweepRequestsOneRunPerBatchSizeAndLearningRateEachWithItsOwnRate() {
        String sweepId = submit(Specs.tuned("tuned-expansion", null));
        List<RunRequested> requests = events(broker, Topics.RUNS_REQUESTED, RunRequested.class, sweepId);
        Map<Integer, RunRequested> byIndex = requests.stream().collect(Collectors.toMap(r -> r.sweep().runIndex(), r -> r));
        assertEquals(6, byIndex.size());
        // batch size outermost, then the candidates ascending, centred linearly from batch 16
        List<Double> rates = List.of(0.03, 0.1, 0.3, 0.12, 0.4, 1.2);
        for (int i = 0; i < 6; i++) {
            RunRequested request = byIndex.get(i);
            assertEquals(BatchSize.of(i < 3 ? 16 : 64), request.run().batchSize(), "run " + i);
            assertEquals(rates.get(i), request.run().learningRate().base(), 1e-12, "run " + i);
            assertEquals(LrScaling.NONE, request.run().learningRate().scaling());
            assertTrue(request.run().stopAtTarget());
            assertEquals("tuned", request.sweep().protocol().wire());
            assertEquals(1.5, request.sweep().pruning().margin());
        }
        given().get("/api/v1/sweeps/" + sweepId).then().statusCode(200)
                .body("protocol", equalTo("tuned"))
                .body("pruning.rule", equalTo("margin"))
                .body("pruning.margin", equalTo(1.5f));
    }

    @Test
    void runsThatCanNoLongerWinAreCappedAtTheMarginTimesTheBestOfTheirBatchSize() {
        String sweepId = submit(Specs.tuned("tuned-pruned", null));
        String unpruned = submit(Specs.tuned("tuned-unpruned", "{\"rule\": \"none\"}"));
        Map<String, RunStatusChanged> running = start(sweepId);
        Map<String, RunStatusChanged> runningUnpruned = start(unpruned);

        // the sweep without pruning first: the coordinator handles statuses in order on one thread, so once the
        // pruned sweep's caps are out, anything this crossing could have caused would be out too
        report(runningUnpruned.get(unpruned + "-r1").ended(RunOutcome.REACHED_TARGET, 1, "t", null).withReachedTargetAt(40L));
        report(running.get(sweepId + "-r1").ended(RunOutcome.REACHED_TARGET, 1, "t", null).withReachedTargetAt(40L));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> assertEquals(Map.of(sweepId + "-r0", List.of(60L), sweepId + "-r2", List.of(60L)),
                caps(sweepId), "batch 16's other runs capped at ceil(1.5 x 40); batch 64 has no best yet"));
        assertEquals(Map.of(), caps(unpruned), "rule none sends nothing");

        // a capped run can still win: reaching the target at 30 lowers the cap of those still running
        report(running.get(sweepId + "-r2").ended(RunOutcome.REACHED_TARGET, 1, "t", null).withReachedTargetAt(30L));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> assertEquals(List.of(60L, 45L), caps(sweepId).get(sweepId + "-r0")));
        report(running.get(sweepId + "-r0").ended(RunOutcome.PRUNED, 1, "t", "stopped at its step cap 45"));
        report(running.get(sweepId + "-r4").ended(RunOutcome.REACHED_TARGET, 1, "t", null).withReachedTargetAt(101L));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> assertEquals(Map.of(sweepId + "-r0", List.of(60L, 45L), sweepId + "-r2", List.of(60L),
                sweepId + "-r3", List.of(152L), sweepId + "-r5", List.of(152L)), caps(sweepId)));
        TopicRecords.readAll(broker, Topics.RUNS_CONTROL).stream()
                .filter(r -> r.key() != null && r.key().startsWith(sweepId))
                .forEach(r -> assertTrue(new String(r.value()).contains("\"runId\":\"" + r.key() + "\""), "keyed by runId"));

        // a restarted scheduler rebuilds its store from the status topic and sends the caps of the runs still running
        SweepStore restarted = new SweepStore();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.consumerProps("pruning-replay"))) {
            StatusReplay.replay(TopicRecords.clientConfig(broker), TopicRecords.partitions(consumer, Topics.RUNS_STATUS),
                    restarted, WAIT);
        }
        PruningCoordinator afterRestart = new PruningCoordinator(restarted, publisher, metrics);
        try {
            afterRestart.replayed();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(
                    () -> assertEquals(Map.of(sweepId + "-r0", List.of(60L, 45L), sweepId + "-r2",
                    List.of(60L), sweepId + "-r3", List.of(152L, 152L), sweepId + "-r5", List.of(152L, 152L)), caps(sweepId),
                    "the same caps again, for the runs that have not ended only"));
        } finally {
            afterRestart.stop();
        }
        assertEquals(Map.of(), caps(unpruned));
    }

    private String submit(String spec) {
        return given().contentType("application/json").body(spec).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");
    }

    /** Every run of the sweep RUNNING, as trainers would report it. */
    private Map<String, RunStatusChanged> start(String sweepId) {
        List<RunStatusChanged> queued = events(broker, Topics.RUNS_STATUS, RunStatusChanged.class, sweepId);
        Map<String, RunStatusChanged> running = queued.stream()
                .filter(s -> s.state() == RunState.QUEUED)
                .collect(Collectors.toMap(RunStatusChanged::runId, s -> s.next(RunState.RUNNING, 1, "t", null)));
        running.values().forEach(this::report);
        return running;
    }

    private void report(RunStatusChanged status) {
        TopicRecords.send(broker, Topics.RUNS_STATUS, status);
    }

    /** The caps on the control topic for the sweep's runs, in the order sent. */
    private Map<String, List<Long>> caps(String sweepId) {
        return events(broker, Topics.RUNS_CONTROL, RunStepCap.class, sweepId).stream()
                .collect(Collectors.groupingBy(RunStepCap::runId,
                        Collectors.mapping(RunStepCap::maxIterations, Collectors.toList())));
    }
}

package dev.batchscope.scheduler.api;

import org.junit.jupiter.api.BeforeEach;
import dev.batchscope.scheduler.support.Ready;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.scheduler.kafka.StatusReplay;
import dev.batchscope.scheduler.state.SweepStore;
import dev.batchscope.scheduler.support.Specs;
import dev.batchscope.scheduler.support.TopicRecords;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.batchscope.scheduler.support.TopicRecords.events;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SweepSubmissionOverKafkaTest {
    @BeforeEach
    void serviceIsReady() {
        Ready.await();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    KafkaBroker broker;

    @Inject
    SweepStore store;

    @Test
    void sixBatchSizesTimesTwoSeedsPublishTwelveRunRequestsWithTheirSpecs() {
        Response response = given().contentType("application/yaml").body(Specs.TEXTBOOK_YAML.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/sweeps");
        response.then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/sweeps/" + response.path("sweepId")))
                .body("runCount", equalTo(12))
                .body("runs", hasSize(12))
                .body("runs.state", everyItem(equalTo("QUEUED")));
        String sweepId = response.path("sweepId");
        assertTrue(sweepId.matches("sw-[0-9a-z]{16}"), sweepId);

        List<RunRequested> requests = events(broker, Topics.RUNS_REQUESTED, RunRequested.class, sweepId);
        assertEquals(12, requests.size());
        Map<String, RunRequested> byRunId = requests.stream().collect(Collectors.toMap(RunRequested::runId, r -> r));
        List<String> sizes = List.of("16", "32", "64", "128", "256", "full");
        List<Long> seeds = List.of(1L, 2L);
        for (int i = 0; i < 12; i++) {
            RunRequested request = byRunId.get(sweepId + "-r" + i);
            RunSpec run = request.run();
            assertEquals(BatchSize.parse(sizes.get(i / 2)), run.batchSize(), "batch size of run " + i);
            assertEquals(seeds.get(i % 2), run.seed(), "seed of run " + i);
            assertEquals(DatasetKind.SYNTHETIC_BLOBS, run.dataset().name());
            assertEquals(2048, run.dataset().samples());
            assertEquals(ModelType.MLP, run.model().type());
            assertEquals(List.of(32, 16), run.model().hidden());
            assertEquals(0.05, run.learningRate().base());
            assertEquals(LrScaling.LINEAR, run.learningRate().scaling());
            assertEquals(32, run.learningRate().baseBatchSize());
            assertEquals(3, run.budget().epochs());
            assertEquals(0.4, run.targetLoss());
            assertEquals("textbook", request.sweep().name());
            assertEquals(12, request.sweep().runCount());
            assertEquals(i, request.sweep().runIndex());
        }
        // keyed by runId, and spread round robin over the partitions (not by the key's hash): 12 runs, 12 partitions,
        // so that no run waits behind another on a partition while a trainer is idle
        List<ConsumerRecord<String, byte[]>> records = TopicRecords.readAll(broker, Topics.RUNS_REQUESTED)
                .stream().filter(r -> r.key() != null && r.key().startsWith(sweepId)).toList();
        records.forEach(r -> assertEquals(EventJson.readEvent(r.value()).runId(), r.key()));
        assertEquals(12, records.stream().map(ConsumerRecord::partition).distinct().count(),
                "one run per partition: " + records.stream().map(r -> r.key() + "@" + r.partition()).toList());

        List<RunStatusChanged> statuses = events(broker, Topics.RUNS_STATUS, RunStatusChanged.class, sweepId);
        assertEquals(12, statuses.size());
        assertTrue(statuses.stream().allMatch(s -> s.state() == RunState.QUEUED && s.run() != null));
    }

    @Test
    void retriedPostWithTheSameIdempotencyKeyReturnsTheFirstSweepAndPublishesNothing() {
        String key = "retry-" + UUID.randomUUID();
        String first = given().contentType("application/json").header("Idempotency-Key", key)
                .body(Specs.small("retried")).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");
        long requestsBefore = TopicRecords.endOffsetSum(broker, Topics.RUNS_REQUESTED);
        long statusBefore = TopicRecords.endOffsetSum(broker, Topics.RUNS_STATUS);

        // a POST answers only after Kafka acknowledged its events, so anything it published is on the topics now
        for (int retry = 0; retry < 3; retry++) {
            given().contentType("application/json").header("Idempotency-Key", key)
                    .body(Specs.small("retried")).post("/api/v1/sweeps")
                    .then().statusCode(201)
                    .header(SweepResource.IDEMPOTENT_REPLAY, "true")
                    .body("sweepId", equalTo(first))
                    .body("idempotencyKey", equalTo(key));
        }

        assertEquals(requestsBefore, TopicRecords.endOffsetSum(broker, Topics.RUNS_REQUESTED));
        assertEquals(statusBefore, TopicRecords.endOffsetSum(broker, Topics.RUNS_STATUS));
        assertEquals(3, events(broker, Topics.RUNS_REQUESTED, RunRequested.class, first).size());
        assertTrue(events(broker, Topics.RUNS_REQUESTED, RunRequested.class, first).stream()
                .allMatch(r -> key.equals(r.sweep().idempotencyKey())), "the key travels with the runs");
    }

    @Test
    void idempotencyKeyReusedForAnotherSpecIsRefusedWithoutPublishing() {
        String key = "conflict-" + UUID.randomUUID();
        given().contentType("application/json").header("Idempotency-Key", key).body(Specs.small("first"))
                .post("/api/v1/sweeps").then().statusCode(201);
        long before = TopicRecords.endOffsetSum(broker, Topics.RUNS_REQUESTED);

        given().contentType("application/json").header("Idempotency-Key", key).body(Specs.small("second"))
                .post("/api/v1/sweeps")
                .then().statusCode(422).contentType("application/problem+json")
                .body("violations[0].field", equalTo("Idempotency-Key"));

        assertEquals(before, TopicRecords.endOffsetSum(broker, Topics.RUNS_REQUESTED));
    }

    @Test
    void postsWithoutAKeyAreIndependentSweeps() {
        String a = given().contentType("application/json").body(Specs.small("twice")).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");
        String b = given().contentType("application/json").body(Specs.small("twice")).post("/api/v1/sweeps")
                .then().statusCode(201).extract().path("sweepId");
        assertNotEquals(a, b);
    }

    @Test
    void cancelPublishesRunCancelledForEveryUnfinishedRunAndCancelsTheQueuedOnes() {
        String sweepId = given().contentType("application/json").body(Specs.small("to-cancel"))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("sweepId");
        List<RunStatusChanged> queued = events(broker, Topics.RUNS_STATUS, RunStatusChanged.class, sweepId);
        RunStatusChanged r0 = byRun(queued, sweepId + "-r0");
        RunStatusChanged r1 = byRun(queued, sweepId + "-r1");
        // a trainer finished r0 and is training r1; r2 is still queued
        TopicRecords.send(broker, Topics.RUNS_STATUS, r0.next(RunState.RUNNING, 1, "trainer-a", null).withEffective(16, 0.1));
        TopicRecords.send(broker, Topics.RUNS_STATUS, r0.ended(RunOutcome.COMPLETED, 1, "trainer-a", null).withEffective(16, 0.1));
        TopicRecords.send(broker, Topics.RUNS_STATUS, r1.next(RunState.RUNNING, 1, "trainer-b", null).withEffective(32, 0.1));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> given().get("/api/v1/sweeps/" + sweepId).then().statusCode(200)
                .body("runs.state", equalTo(List.of("SUCCEEDED", "RUNNING", "QUEUED")))
                .body("runs[1].trainerId", equalTo("trainer-b"))
                .body("runs[1].effectiveBatchSize", equalTo(32))
                .body("runs[1].attempt", equalTo(1)));

        given().delete("/api/v1/sweeps/" + sweepId).then().statusCode(200)
                .body("cancelledRuns", equalTo(2))
                .body("sweep.runs.state", equalTo(List.of("SUCCEEDED", "RUNNING", "CANCELLED")))
                .body("sweep.runs[2].reason", equalTo("cancelled by user"));

        Set<String> cancelled = events(broker, Topics.RUNS_CONTROL, RunCancelled.class, sweepId).stream()
                .map(RunCancelled::runId).collect(Collectors.toSet());
        assertEquals(Set.of(sweepId + "-r1", sweepId + "-r2"), cancelled, "RunCancelled for unfinished runs only");
        List<RunStatusChanged> cancelledStatus = events(broker, Topics.RUNS_STATUS, RunStatusChanged.class, sweepId)
                .stream().filter(s -> s.state() == RunState.CANCELLED).toList();
        assertEquals(List.of(sweepId + "-r2"), cancelledStatus.stream().map(RunStatusChanged::runId).toList(),
                "the scheduler itself ends only the run that never started; the trainer reports r1");

        // the trainer stops r1 and reports it; the sweep has then ended
        TopicRecords.send(broker, Topics.RUNS_STATUS, r1.ended(RunOutcome.CANCELLED, 1, "trainer-b", "cancelled by user"));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> given().get("/api/v1/sweeps/" + sweepId).then()
                .body("state", equalTo("CANCELLED"))
                .body("runs.state", equalTo(List.of("SUCCEEDED", "CANCELLED", "CANCELLED"))));
        // a second cancel finds nothing left to stop
        given().delete("/api/v1/sweeps/" + sweepId).then().statusCode(200).body("cancelledRuns", equalTo(0));
    }

    @Test
    void aRestartedSchedulerRebuildsTheSameSweepsFromTheStatusTopic() {
        String sweepId = given().contentType("application/yaml").body(Specs.TEXTBOOK_YAML.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/sweeps").then().statusCode(201).extract().path("sweepId");
        List<RunStatusChanged> queued = events(broker, Topics.RUNS_STATUS, RunStatusChanged.class, sweepId);
        RunStatusChanged r0 = byRun(queued, sweepId + "-r0");
        RunStatusChanged r3 = byRun(queued, sweepId + "-r3");
        TopicRecords.send(broker, Topics.RUNS_STATUS, r0.next(RunState.RUNNING, 1, "trainer-a", null).withEffective(16, 0.025));
        TopicRecords.send(broker, Topics.RUNS_STATUS, r0.ended(RunOutcome.COMPLETED, 1, "trainer-a", null).withEffective(16, 0.025));
        TopicRecords.send(broker, Topics.RUNS_STATUS, r3.next(RunState.RUNNING, 2, "trainer-b", null).withEffective(32, 0.05));
        TopicRecords.send(broker, Topics.RUNS_STATUS, r3.ended(RunOutcome.INTERNAL, 2, "trainer-b", "training failed: IllegalStateException"));
        // a replayed (duplicated) RUNNING after the failure must not revive the run
        TopicRecords.send(broker, Topics.RUNS_STATUS, r3.next(RunState.RUNNING, 2, "trainer-b", null));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> given().get("/api/v1/sweeps/" + sweepId).then()
                .body("runs[0].state", equalTo("SUCCEEDED"))
                .body("runs[3].state", equalTo("FAILED"))
                .body("runs[3].reason", equalTo("training failed: IllegalStateException"))
                .body("runs[3].outcome", equalTo("internal")));
        given().delete("/api/v1/sweeps/" + sweepId).then().statusCode(200).body("cancelledRuns", equalTo(10));

        // a new scheduler knows only the topic: replay it into an empty store, exactly as startup does
        SweepStore restarted = new SweepStore();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.consumerProps("partitions"))) {
            List<TopicPartition> partitions = TopicRecords.partitions(consumer, Topics.RUNS_STATUS);
            StatusReplay.Result result = StatusReplay.replay(TopicRecords.clientConfig(broker), partitions, restarted, WAIT);
            assertTrue(result.applied() >= 12 + 5 + 10, "replayed " + result.applied());
        }
        assertEquals(json(restarted.sweep(sweepId).map(SweepViews::of).orElseThrow()),
                json(SweepViews.of(store.sweep(sweepId).orElseThrow())));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(
                () -> assertEquals(json(restarted.newestFirst().stream().map(SweepViews::of).toList()),
                json(store.newestFirst().stream().map(SweepViews::of).toList()), "every sweep, as the live scheduler has it"));
        SweepView rebuilt = restarted.sweep(sweepId).map(SweepViews::of).orElseThrow();
        assertEquals(RunState.FAILED, rebuilt.state());
        assertEquals(Map.of(RunState.QUEUED, 0, RunState.RUNNING, 0, RunState.SUCCEEDED, 1, RunState.FAILED, 1,
                RunState.CANCELLED, 10, RunState.DIVERGED, 0), rebuilt.counts());
    }

    private static RunStatusChanged byRun(List<RunStatusChanged> statuses, String runId) {
        return statuses.stream().filter(s -> s.runId().equals(runId)).findFirst().orElseThrow();
    }

    private static String json(Object value) {
        return EventJson.writeString(value);
    }
}

package dev.batchscope.scheduler.api;

import org.junit.jupiter.api.BeforeEach;
import dev.batchscope.scheduler.support.Ready;
import dev.batchscope.events.Event;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.scheduler.support.TopicRecords;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dead-letter queue over a real broker (also the foundation issue's DLQ demonstration): records on
 * batchscope.runs.status that cannot be read, that break the contract, or that are of the wrong type land on
 * batchscope.dlq with the reason and their origin in headers, and the scheduler goes on with the next good record.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class StatusDeadLetterQueueTest {
    @BeforeEach
    void serviceIsReady() {
        Ready.await();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    KafkaBroker broker;

    @Test
    void malformedStatusRecordsGoToTheDlqWithReasonHeadersAndTheNextGoodRecordIsProcessed() {
        byte[] notJson = "{\"type\": \"RunStatusChanged\", \"schemaVersion\": 1, ".getBytes(StandardCharsets.UTF_8);
        byte[] futureSchema = EventJson.write(status("sw-dlq-future", 0)).clone();
        futureSchema = new String(futureSchema, StandardCharsets.UTF_8)
                .replace("\"schemaVersion\":1", "\"schemaVersion\":99").getBytes(StandardCharsets.UTF_8);
        RunCancelled wrongType = RunCancelled.of("sw-dlq-wrongtype-r0", "sw-dlq-wrongtype", "not a status");

        TopicRecords.send(broker, Topics.RUNS_STATUS, "dlq-not-json", notJson);
        TopicRecords.send(broker, Topics.RUNS_STATUS, "dlq-future-schema", futureSchema);
        TopicRecords.send(broker, Topics.RUNS_STATUS, "dlq-wrong-type", EventJson.write(wrongType));
        TopicRecords.send(broker, Topics.RUNS_STATUS, status("sw-dlq-good", 0));

        await().atMost(WAIT).ignoreExceptions().untilAsserted(

                () -> given().get("/api/v1/sweeps/sw-dlq-good").then().statusCode(200)
                .body("runs[0].runId", equalTo("sw-dlq-good-r0"))
                .body("runs[0].state", equalTo("QUEUED")));

        ConsumerRecord<String, byte[]> unreadable = deadLetter("dlq-not-json");
        assertArrayEquals(notJson, unreadable.value(), "the original bytes are kept");
        assertEquals(Topics.RUNS_STATUS, header(unreadable, "dead-letter-topic"));
        assertNotNull(header(unreadable, "dead-letter-partition"));
        assertNotNull(header(unreadable, "dead-letter-offset"));
        assertTrue(header(unreadable, "dead-letter-reason").contains("well-formed"), header(unreadable, "dead-letter-reason"));

        ConsumerRecord<String, byte[]> future = deadLetter("dlq-future-schema");
        assertTrue(header(future, "dead-letter-reason").contains("schemaVersion"), header(future, "dead-letter-reason"));

        ConsumerRecord<String, byte[]> wrong = deadLetter("dlq-wrong-type");
        assertTrue(header(wrong, "dead-letter-reason").contains("RunStatusChanged only"), header(wrong, "dead-letter-reason"));
        assertEquals(Topics.RUNS_STATUS, header(wrong, "dead-letter-topic"));

        given().get("/api/v1/sweeps/sw-dlq-future").then().statusCode(404);
        given().get("/api/v1/sweeps/sw-dlq-wrongtype").then().statusCode(404);
    }

    private ConsumerRecord<String, byte[]> deadLetter(String key) {
        return await("a record keyed " + key + " on " + Topics.DLQ).atMost(WAIT).ignoreExceptions()
                .until(() -> TopicRecords.readAll(broker, Topics.DLQ).stream().filter(TopicRecords.keyed(key))
                        .findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static RunStatusChanged status(String sweepId, int index) {
        RunSpec spec = new RunSpec(DatasetSpec.of(DatasetKind.SYNTHETIC_BLOBS), ModelSpec.of(ModelType.MLP), null, null,
                BatchSize.of(32), LearningRateSpec.constant(0.05), BudgetSpec.epochs(1), 1L, null, null, null, null, null);
        RunRequested request = new RunRequested(Event.SCHEMA_VERSION, sweepId + "-r" + index, sweepId, Instant.now(), spec,
                new SweepRef("dlq-demo", Instant.now(), 1, index, null, null, null));
        return RunStatusChanged.queued(request);
    }
}

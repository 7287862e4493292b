package dev.batchscope.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.BatchscopeCommand;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.Topics;
import dev.batchscope.testing.process.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus ({@link BadInputs}) against the running services: every input gets a clear refusal through its
 * own door, and afterwards no service has restarted and a good sweep still trains.
 */
@ExtendWith(SecuredStack.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCorpusIT {
    static List<BadInputs.RestCase> rest() {
        return BadInputs.rest();
    }

    static List<BadInputs.CliCase> cli() {
        return BadInputs.cli();
    }

    @Test
    @Order(0)
    void theCorpusHasAtLeastFiftyDistinctInputs() {
        int total = BadInputs.rest().size() + BadInputs.cli().size() + BadInputs.kafka().size();
        assertTrue(total >= 50, "only " + total + " bad inputs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rest")
    @Order(1)
    void restInputIsRefusedNamingTheField(BadInputs.RestCase c, SecuredStack stack) {
        ServiceProcess service = c.service() == BadInputs.Service.SCHEDULER ? stack.scheduler : stack.metrics;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url(c.path())))
                .timeout(Duration.ofSeconds(30))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        request.header("Authorization", "Bearer " + SecuredStack.API_TOKEN);
        c.headers().forEach(request::header);
        Http.Answer answer = Http.send(request.build());

        assertEquals(c.status(), answer.status(), answer.toString());
        if (c.field() != null) {
            List<String> fields = new ArrayList<>();
            answer.json().path("violations").forEach(v -> fields.add(v.path("field").asText()));
            assertTrue(fields.contains(c.field()), "names " + c.field() + ": " + answer);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cli")
    @Order(2)
    void cliInputExitsWithTwoNamingTheProblem(BadInputs.CliCase c, SecuredStack stack) {
        List<String> args = new ArrayList<>(List.of("--scheduler-url", stack.scheduler.url(),
                "--metrics-url", stack.metrics.url(), "--token", SecuredStack.API_TOKEN));
        args.addAll(c.args());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BatchscopeCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args.toArray(String[]::new));

        String said = "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        assertEquals(ExitCodes.USAGE, exit, said);
        assertTrue(err.toString().contains(c.mentions()), "names " + c.mentions() + "\n" + said);
        assertTrue(!err.toString().contains("\tat "), "no stack trace\n" + said);
    }

    @Test
    @Order(3)
    void everyBadKafkaRecordReachesTheDlqWithItsReason(SecuredStack stack) throws Exception {
        Map<String, BadInputs.KafkaCase> bySource = new LinkedHashMap<>();
        Map<String, Object> producerProps = stack.broker.producerProps();
        producerProps.put("key.serializer", StringSerializer.class.getName());
        producerProps.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps)) {
            for (BadInputs.KafkaCase c : BadInputs.kafka()) {
                RecordMetadata sent = producer.send(new ProducerRecord<>(c.topic(), "corpus-" + bySource.size(),
                        c.value())).get();
                bySource.put(sent.topic() + ":" + sent.partition() + ":" + sent.offset(), c);
            }
        }

        Map<String, DeadLetter> deadLetters = deadLetters(stack, bySource.keySet(), Duration.ofSeconds(90));
        List<String> failures = new ArrayList<>();
        bySource.forEach((source, c) -> {
            DeadLetter letter = deadLetters.get(source);
            if (letter == null) {
                failures.add(c + ": no DLQ record for " + source);
            } else if (letter.reason() == null || !letter.reason().contains(c.reasonMentions())) {
                failures.add(c + ": the reason does not mention " + c.reasonMentions() + ": " + letter.reason());
            } else if (!java.util.Arrays.equals(c.value(), letter.value())) {
                failures.add(c + ": the DLQ record does not hold the bytes that were sent");
            }
        });
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(4)
    void noServiceRestartedAndAGoodSweepStillTrains(SecuredStack stack) throws Exception {
        // each is still the process the stack started (nothing here would start it again), and it still answers
        for (ServiceProcess service : stack.services()) {
            assertTrue(service.isAlive(), service.name() + " died:\n" + service.logTail(30));
            assertTrue(service.get("/q/health/ready") != null, service.name() + " is not ready");
        }
        String sweepId = Sweeps.submitSmall(stack, "after-the-corpus");
        JsonNode sweep = Sweeps.awaitFinished(stack, sweepId, Duration.ofMinutes(3));
        JsonNode run = sweep.get("runs").get(0);
        assertEquals("SUCCEEDED", run.get("state").asText(), sweep.toString());
        // and the metrics-service, whose consumers took most of the bad records, still aggregates
        assertTrue(Sweeps.awaitLossPoints(stack, sweepId, run.get("runId").asText()).size() > 1);
    }

    /** A DLQ record: the rejected bytes and why. */
    private record DeadLetter(byte[] value, String reason) {
    }

    /** The dead letter of each wanted source record (topic:partition:offset), read from the DLQ. */
    private static Map<String, DeadLetter> deadLetters(SecuredStack stack, java.util.Set<String> wanted,
                                                       Duration timeout) {
        Map<String, Object> props = stack.broker.consumerProps("corpus-dlq-" + UUID.randomUUID());
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("auto.offset.reset", "earliest");
        Map<String, DeadLetter> letters = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.DLQ));
            while (!letters.keySet().containsAll(wanted) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String source = header(record, "dead-letter-topic") + ":" + header(record, "dead-letter-partition")
                            + ":" + header(record, "dead-letter-offset");
                    letters.putIfAbsent(source, new DeadLetter(record.value(), header(record, "dead-letter-reason")));
                }
            }
        }
        return letters;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

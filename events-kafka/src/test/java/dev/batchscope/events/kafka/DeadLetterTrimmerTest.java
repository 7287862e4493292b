package dev.batchscope.events.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class DeadLetterTrimmerTest {
    @Test
    void theRawCopiesGoAndTheReasonAndSourceStay() {
        byte[] raw = "{\"truncated".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("deserialization-failure-data", raw);
        headers.add("deserialization-failure-value-data", raw);
        headers.add("dead-letter-reason", "run: is not well-formed".getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", "7".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<Object, Object> record = new ProducerRecord<>("batchscope.dlq", null, "r1", raw, headers);

        ProducerRecord<Object, Object> sent = new DeadLetterTrimmer().onSend(record);

        assertArrayEquals(raw, (byte[]) sent.value(), "the value still holds the bad bytes");
        assertNull(sent.headers().lastHeader("deserialization-failure-data"));
        assertNull(sent.headers().lastHeader("deserialization-failure-value-data"));
        assertNotNull(sent.headers().lastHeader("dead-letter-reason"));
        assertNotNull(sent.headers().lastHeader("dead-letter-offset"));
    }

    @Test
    void aRecordThatFailedDeserializationGetsItsRawBytesAsTheValueOnce() {
        byte[] raw = "not json".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("deserialization-failure-data", raw);
        headers.add("deserialization-failure-value-data", raw);
        ProducerRecord<Object, Object> record = new ProducerRecord<>("batchscope.dlq", null, "r1", null, headers);

        ProducerRecord<Object, Object> sent = new DeadLetterTrimmer().onSend(record);

        assertArrayEquals(raw, (byte[]) sent.value());
        assertNull(sent.headers().lastHeader("deserialization-failure-data"));
        assertNull(sent.headers().lastHeader("deserialization-failure-value-data"));
    }
}

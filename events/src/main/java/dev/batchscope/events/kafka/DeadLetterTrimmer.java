package dev.batchscope.events.kafka;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.List;
import java.util.Map;

/**
 * The interceptor of every dead-letter producer. SmallRye copies a record that failed deserialization into the DLQ
 * with all its headers, and among them are two more copies of the raw bytes ({@code deserialization-failure-data}
 * and {@code -value-data}); the record's value already holds them. With those copies a bad record near the broker's
 * size limit became a DLQ record three times as large, which the producer refused, and the consumer stopped. Only
 * the copies go; the reason, cause, source topic, partition and offset stay.
 */
public final class DeadLetterTrimmer implements ProducerInterceptor<Object, Object> {
    static final List<String> RAW_COPIES = List.of("deserialization-failure-data",
            "deserialization-failure-value-data", "deserialization-failure-key-data");

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        RAW_COPIES.forEach(record.headers()::remove);
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // nothing to do: the DLQ producer's own callbacks report failures
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}

package dev.batchscope.events.kafka;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.util.List;
import java.util.Map;

/**
 * The interceptor of every dead-letter producer. SmallRye sends a record that failed deserialization to the DLQ with
 * a null value and all its headers, among them two copies of the raw bytes ({@code deserialization-failure-data}
 * and {@code -value-data}); its serializer would later take the value from one of them and keep both. A bad record
 * near the broker's size limit so became a DLQ record three times as large, which the producer refused, and the
 * consumer stopped. Here the raw bytes become the value once and the copies go; the reason, cause, source topic,
 * partition and offset stay.
 */
public final class DeadLetterTrimmer implements ProducerInterceptor<Object, Object> {
    static final List<String> RAW_COPIES = List.of("deserialization-failure-data",
            "deserialization-failure-value-data", "deserialization-failure-key-data");

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        Object value = record.value() != null ? record.value() : rawValue(record.headers());
        RAW_COPIES.forEach(record.headers()::remove);
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), value,
                record.headers());
    }

    private static byte[] rawValue(Headers headers) {
        Header raw = headers.lastHeader("deserialization-failure-value-data");
        if (raw == null) {
            raw = headers.lastHeader("deserialization-failure-data");
        }
        return raw == null ? null : raw.value();
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

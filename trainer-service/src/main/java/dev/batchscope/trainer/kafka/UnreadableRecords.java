package dev.batchscope.trainer.kafka;

import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/**
 * Records that EventDeserializer rejected. The channels set fail-on-deserialization-failure=false, so such a
 * record arrives with a null payload and the deserializer's reason in its headers; nacking it sends it to the DLQ,
 * whose serializer restores the original bytes from those headers. (With the default, true, SmallRye reports a
 * fatal failure and the channel stops consuming.)
 */
final class UnreadableRecords {
    private UnreadableRecords() {
    }

    static IllegalArgumentException reason(Message<?> message) {
        String why = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON))
                .map(Header::value)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .orElse("the record is empty");
        return new IllegalArgumentException("unreadable event: " + why);
    }
}

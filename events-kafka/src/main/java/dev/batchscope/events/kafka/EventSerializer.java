package dev.batchscope.events.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.json.EventJson;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for every event type; works in plain clients and SmallRye channels alike.
 * Raw bytes pass through unchanged: SmallRye's dead-letter queue hands over the original bytes of a record
 * that could not be deserialized, and the DLQ producer uses the serializer that matches the channel.
 */
public class EventSerializer implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] raw) {
            return raw;
        }
        if (value instanceof Event event) {
            return EventJson.write(event);
        }
        throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " as a batchscope event");
    }
}

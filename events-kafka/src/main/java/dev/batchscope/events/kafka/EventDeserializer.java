package dev.batchscope.events.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.json.EventJson;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for every event type. It validates too: a record that parses but breaks
 * the contract fails here, so consumers only ever see valid events and the failure reaches the DLQ.
 */
public class EventDeserializer implements Deserializer<Event> {
    @Override
    public Event deserialize(String topic, byte[] data) {
        return data == null ? null : EventJson.readEvent(data);
    }
}

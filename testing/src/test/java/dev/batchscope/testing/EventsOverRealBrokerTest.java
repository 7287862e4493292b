package dev.batchscope.testing;

import dev.batchscope.events.Event;
import dev.batchscope.events.Topics;
import dev.batchscope.events.kafka.EventDeserializer;
import dev.batchscope.events.kafka.EventSerializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(KafkaBrokerExtension.class)
class EventsOverRealBrokerTest {

    @Test
    void everyEventTypeRoundTripsThroughTheBrokerWithTheProjectSerializer(KafkaBroker broker) throws Exception {
        List<Event> sent = SampleEvents.everyType();
        Map<String, Object> producerProps = broker.producerProps();
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class.getName());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerProps)) {
            for (Event event : sent) {
                producer.send(new ProducerRecord<>(Topics.METRICS, event.runId(), event)).get();
            }
        }

        Map<String, Object> consumerProps = broker.consumerProps("round-trip");
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, EventDeserializer.class.getName());
        List<Event> received = new ArrayList<>();
        try (KafkaConsumer<String, Event> consumer =
                     new KafkaConsumer<>(consumerProps, new StringDeserializer(), new EventDeserializer())) {
            consumer.subscribe(List.of(Topics.METRICS));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.size() < sent.size() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, Event> record : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(record.value().runId(), record.key(), "records are keyed by runId");
                    received.add(record.value());
                }
            }
        }
        assertEquals(sent, received);
    }

    @Test
    void brokerIsReachableOnLoopback(KafkaBroker broker) {
        String host = broker.bootstrapServers().split(",")[0].replaceAll(":\\d+$", "");
        assertEquals(true, host.equals("localhost") || host.startsWith("127."), "bound to " + host);
        // the string serializer is enough to prove the plain client path too
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.adminProps(), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("plain-strings", "k", "v")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

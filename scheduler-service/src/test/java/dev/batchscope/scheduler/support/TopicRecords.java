package dev.batchscope.scheduler.support;

import dev.batchscope.events.Event;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** Reads whole topics and writes raw records, with plain Kafka clients, for assertions over the real broker. */
public final class TopicRecords {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TopicRecords() {
    }

    /** Every record currently on the topic, all partitions, from the beginning to the end offsets of now. */
    public static List<ConsumerRecord<String, byte[]>> readAll(KafkaBroker broker, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.consumerProps("test-reader-" + UUID.randomUUID()))) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        records.add(r);
                    }
                });
            }
            return records;
        }
    }

    /** The events of one sweep on a topic. */
    public static <E extends Event> List<E> events(KafkaBroker broker, String topic, Class<E> type, String sweepId) {
        return readAll(broker, topic).stream()
                .map(TopicRecords::readableEvent)
                .filter(type::isInstance).map(type::cast)
                .filter(e -> e.sweepId().equals(sweepId))
                .toList();
    }

    /** The event of a record, or null for one that is not (tests also write malformed records). */
    private static Event readableEvent(ConsumerRecord<String, byte[]> record) {
        try {
            return record.value() == null ? null : EventJson.readEvent(record.value());
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Sum of the end offsets over all partitions: grows with every record written. */
    public static long endOffsetSum(KafkaBroker broker, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.consumerProps("test-offsets-" + UUID.randomUUID()))) {
            return consumer.endOffsets(partitions(consumer, topic), TIMEOUT).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic, TIMEOUT).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    public static void send(KafkaBroker broker, String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    public static void send(KafkaBroker broker, String topic, Event event) {
        send(broker, topic, event.runId(), EventJson.write(event));
    }

    /** Client settings for the scheduler's own plain clients (the replay), pointed at the test broker. */
    public static Map<String, Object> clientConfig(KafkaBroker broker) {
        Map<String, Object> config = new HashMap<>(broker.clientSecurity());
        config.put("bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    public static Predicate<ConsumerRecord<String, byte[]>> keyed(String key) {
        return r -> key.equals(r.key());
    }
}

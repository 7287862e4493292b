package dev.batchscope.cli.probe;

import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lag the load command reports, against a real broker: end offsets minus committed ones, over all partitions. */
@ExtendWith(KafkaBrokerExtension.class)
class ConsumerLagTest {

    @Test
    void lagIsWhatTheGroupHasNotCommittedOnEveryPartition(KafkaBroker broker) throws Exception {
        String topic = "lag-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[]{1})).get();
            }
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 1, null, new byte[]{1})).get();
            }
        }
        String group = "g-" + UUID.randomUUID();
        try (ConsumerLag lag = new ConsumerLag(broker.bootstrapServers())) {
            assertEquals(8, lag.lag(group, topic), "nothing committed: everything from the log start");
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.consumerProps(group))) {
                consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(4),
                        new TopicPartition(topic, 1), new OffsetAndMetadata(3)));
            }
            assertEquals(1, lag.lag(group, topic), "one record of partition 0 not committed");
        }
    }
}

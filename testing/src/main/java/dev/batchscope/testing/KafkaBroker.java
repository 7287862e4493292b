package dev.batchscope.testing;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/** A real Kafka broker that a test talks to; closing it stops it (an external one is left running). */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** Where the broker comes from: "external", "testcontainers" or "in-jvm". */
    String kind();

    /** Client settings beyond bootstrap servers, such as SASL credentials; empty for a plain broker. */
    default Map<String, Object> clientSecurity() {
        return Map.of();
    }

    default Map<String, Object> adminProps() {
        Map<String, Object> props = new HashMap<>(clientSecurity());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** String keys, byte[] values: tests send raw records, including malformed ones. */
    default Map<String, Object> producerProps() {
        Map<String, Object> props = adminProps();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }

    /** String keys, byte[] values, reading from the earliest offset. */
    default Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = adminProps();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    @Override
    void close();
}

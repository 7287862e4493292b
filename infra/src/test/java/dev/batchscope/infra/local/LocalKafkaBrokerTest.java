package dev.batchscope.infra.local;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalKafkaBrokerTest {

    @Test
    void startsAProcessThatPlainClientsUseAndStopsItLeavingNoProcess(@TempDir Path state) throws Exception {
        LocalKafkaBroker broker = new LocalKafkaBroker(state, Path.of("target", "kafka-libs"));
        long started = System.nanoTime();
        LocalKafkaBroker.Running running = broker.start();
        long startMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("local broker ready in " + startMillis + " ms at " + running.bootstrapServers());
        ProcessHandle process = ProcessHandle.of(running.pid()).orElseThrow();
        try {
            assertTrue(running.bootstrapServers().startsWith("127.0.0.1:"), running.bootstrapServers());
            assertEquals(running.pid(), broker.start().pid(), "a second start finds the running broker");

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", running.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("launcher-check", "k", "hello")).get();
            }
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    "bootstrap.servers", running.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "launcher-check",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("launcher-check"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        values.add(record.value());
                    }
                }
            }
            assertEquals(List.of("hello"), values);
        } finally {
            assertTrue(broker.stop());
        }
        assertFalse(process.isAlive(), "the broker process is gone");
        assertTrue(broker.running().isEmpty());
        assertFalse(broker.stop(), "stopping again is a no-op");
    }
}

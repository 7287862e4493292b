package dev.batchscope.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The in-JVM broker can require SASL: authenticated clients work, anonymous ones are refused. */
class SaslBrokerTest {
    private static InJvmKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = InJvmKafkaBroker.startWithSasl();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void authenticatedClientProducesAndListsTopics() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.adminProps(), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("sasl-check", "k", "v")).get(30, TimeUnit.SECONDS);
        }
        try (Admin admin = Admin.create(broker.adminProps())) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).isEmpty());
        }
    }

    @Test
    void unauthenticatedClientIsRefused() {
        Map<String, Object> anonymous = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6000));
        try (Admin admin = Admin.create(anonymous)) {
            assertThrows(ExecutionException.class, () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
        }
        Map<String, Object> wrongPassword = new HashMap<>(broker.adminProps());
        wrongPassword.put("sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"plain-user1\" password=\"wrong\";");
        wrongPassword.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        wrongPassword.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6000);
        try (Admin admin = Admin.create(wrongPassword)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertTrue(
                    refused.getCause() instanceof org.apache.kafka.common.errors.SaslAuthenticationException, refused.toString());
        }
    }
}

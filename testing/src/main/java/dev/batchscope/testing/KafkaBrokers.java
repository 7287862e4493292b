package dev.batchscope.testing;

import java.util.logging.Logger;

/**
 * Picks the broker for a test run: an external one when {@code KAFKA_BOOTSTRAP_SERVERS} is set, Testcontainers'
 * Kafka when a Docker engine answers, otherwise Kafka's in-JVM KRaft test kit.
 */
public final class KafkaBrokers {
    private static final Logger LOG = Logger.getLogger(KafkaBrokers.class.getName());

    private KafkaBrokers() {
    }

    public static KafkaBroker start() {
        String external = System.getenv(ExternalKafkaBroker.ENV);
        if (external != null && !external.isBlank()) {
            return new ExternalKafkaBroker(external.trim());
        }
        if (!"false".equals(System.getProperty("batchscope.testcontainers")) && ContainerKafkaBroker.dockerAvailable()) {
            return ContainerKafkaBroker.start();
        }
        InJvmKafkaBroker broker = InJvmKafkaBroker.start();
        LOG.info(() -> "in-JVM KRaft broker at " + broker.bootstrapServers() + " started in " + broker.startMillis() + " ms");
        return broker;
    }
}

package dev.batchscope.service.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client settings of this service, for the plain clients it creates besides its SmallRye channels (the
 * topic admin, replay consumers). Quarkus builds this map from every {@code kafka.*} property and every
 * {@code KAFKA_*} environment variable ({@code KAFKA_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}), the same
 * map the channels start from: so SASL and TLS settings reach every client of the service the same way.
 */
@ApplicationScoped
public class KafkaClientConfig {
    private final Map<String, Object> kafka;

    @Inject
    public KafkaClientConfig(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = Map.copyOf(kafka);
    }

    /** A fresh, modifiable copy. */
    public Map<String, Object> copy() {
        return new HashMap<>(kafka);
    }
}

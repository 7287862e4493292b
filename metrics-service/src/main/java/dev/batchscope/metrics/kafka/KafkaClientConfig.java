package dev.batchscope.metrics.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.Map;

/** The {@code kafka.*} settings (bootstrap servers, and SASL/TLS where configured) for the topic admin. */
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

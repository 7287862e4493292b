package dev.batchscope.service.kafka;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How the services create missing topics ({@code batchscope.kafka.*}, env BATCHSCOPE_KAFKA_REPLICATION). */
@ConfigMapping(prefix = "batchscope.kafka")
public interface TopicSettings {
    /** Replication factor of the topics a service creates when they are missing (3 on a production cluster). */
    @WithDefault("1")
    short replicationFactor();
}

package dev.batchscope.service.kafka;

import dev.batchscope.events.kafka.TopicAdmin;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Creates the missing batchscope topics before the Kafka channels start (they start at priority 1000), with the
 * service's own client settings. The consumers also set allow.auto.create.topics=false, so a broker that
 * auto-creates topics never makes a one-partition one.
 */
@ApplicationScoped
public class TopicBootstrap {
    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    void ensureTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start,
                      KafkaClientConfig kafka, TopicSettings settings) {
        List<String> created = TopicAdmin.ensureTopics(kafka.copy(), settings.replicationFactor());
        if (!created.isEmpty()) {
            LOG.infof("created topics %s", created);
        }
    }
}

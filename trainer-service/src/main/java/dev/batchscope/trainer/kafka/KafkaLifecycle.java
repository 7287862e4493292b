package dev.batchscope.trainer.kafka;

import dev.batchscope.events.kafka.TopicAdmin;
import dev.batchscope.trainer.config.TrainerConfig;
import dev.batchscope.trainer.runs.RunRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;

/** Creates missing topics at startup; at shutdown, checkpoints the runs in training so that they resume elsewhere. */
@ApplicationScoped
public class KafkaLifecycle {
    private static final Logger LOG = Logger.getLogger(KafkaLifecycle.class);

    private final String bootstrapServers;
    private final TrainerConfig config;
    private final RunRegistry registry;

    public KafkaLifecycle(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, TrainerConfig config,
                          RunRegistry registry) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.registry = registry;
    }

    void createTopics(@Observes @Priority(1) StartupEvent startup) {
        List<String> created = TopicAdmin.ensureTopics(Map.of("bootstrap.servers", bootstrapServers),
                config.kafka().replicationFactor());
        if (!created.isEmpty()) {
            LOG.infof("created topics %s", created);
        }
    }

    void suspendRuns(@Observes @Priority(1) ShutdownEvent shutdown) {
        if (registry.activeCount() > 0) {
            LOG.infof("shutting down: checkpointing %d run(s) for their next attempt", registry.activeCount());
            registry.suspendAll("the trainer is shutting down", config.trainer().handoffTimeout());
        }
    }
}

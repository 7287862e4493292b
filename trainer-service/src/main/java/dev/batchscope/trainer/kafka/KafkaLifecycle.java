package dev.batchscope.trainer.kafka;

import dev.batchscope.trainer.config.TrainerConfig;
import dev.batchscope.trainer.runs.RunRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * At shutdown, checkpoints the runs in training so that they resume elsewhere. (The topics are created at start-up
 * by service-common's TopicBootstrap.)
 */
@ApplicationScoped
public class KafkaLifecycle {
    private static final Logger LOG = Logger.getLogger(KafkaLifecycle.class);

    private final TrainerConfig config;
    private final RunRegistry registry;

    public KafkaLifecycle(TrainerConfig config, RunRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    void suspendRuns(@Observes @Priority(1) ShutdownEvent shutdown) {
        if (registry.activeCount() > 0) {
            LOG.infof("shutting down: checkpointing %d run(s) for their next attempt", registry.activeCount());
            registry.suspendAll("the trainer is shutting down", config.trainer().handoffTimeout());
        }
    }
}

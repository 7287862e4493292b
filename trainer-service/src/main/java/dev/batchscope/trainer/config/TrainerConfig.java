package dev.batchscope.trainer.config;

import dev.batchscope.trainer.engine.EnginePath;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The trainer's own settings (application.properties, section "## Trainer"). */
@ConfigMapping(prefix = "batchscope")
public interface TrainerConfig {
    /** Shared by all trainers (a volume in Kubernetes): a redelivered run resumes from its checkpoint here. */
    Path checkpointDir();

    Trainer trainer();

    interface Trainer {
        /** Names this instance in status events; defaults to the host name and a random suffix. */
        Optional<String> id();

        /** How long a trainer that loses a run's partition waits for the run to checkpoint and stop. */
        @WithDefault("60s")
        Duration handoffTimeout();

        /** Metric events sent but not yet acknowledged by Kafka before training waits for the producer. */
        @WithDefault("512")
        int maxUnacknowledgedEvents();

        /** How long a run waits for its status event to be acknowledged. */
        @WithDefault("30s")
        Duration publishTimeout();

        /**
         * Which engine path computes the steps (docs/benchmarks.md): auto (dense models on the lean dense path, cnn on
         * DL4J's), dense, or dl4j (DL4J's own calls for every model, noise from micro-batches).
         */
        @WithDefault("auto")
        EnginePath enginePath();
    }
}

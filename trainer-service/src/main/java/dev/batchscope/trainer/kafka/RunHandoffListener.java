package dev.batchscope.trainer.kafka;

import dev.batchscope.trainer.config.TrainerConfig;
import dev.batchscope.trainer.runs.RunRegistry;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When the requested-runs topic's partitions move to another trainer (scale out, scale in), a run in training
 * whose record came from a moving partition checkpoints and stops before the partition is released; the new
 * owner receives the unacknowledged record and resumes it. Without this both trainers would train the run.
 * SmallRye calls these methods on the polling thread, which must block until the hand-off is done.
 */
@ApplicationScoped
@Identifier(TrainerChannels.REBALANCE_LISTENER)
public class RunHandoffListener implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(RunHandoffListener.class);

    private final RunRegistry registry;
    private final TrainerConfig config;
    private final AtomicLong handOffs = new AtomicLong();

    public RunHandoffListener(RunRegistry registry, TrainerConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        LOG.infof("assigned %s", partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.infof("revoked %s", partitions);
            handOffs.addAndGet(registry.handOff(partitions, "its partition moved to another trainer", config.trainer().handoffTimeout()));
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            LOG.warnf("lost %s", partitions);
            handOffs.addAndGet(registry.handOff(partitions, "this trainer lost its partition", config.trainer().handoffTimeout()));
        }
    }

    /**
     * Runs in training handed over since start because their partition was revoked or lost. Partitions without a run
     * in training move often (IdleFirstAssignor takes a busy trainer's other partitions away) and are not counted.
     */
    public long handOffs() {
        return handOffs.get();
    }
}

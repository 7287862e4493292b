package dev.batchscope.metrics.kafka;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every replica reads the whole status topic: the channel's group id ends in ${quarkus.uuid}, a fresh group per
 * process that no other replica joins, so it is assigned every partition; it commits nothing, so the group leaves no
 * trace. Each assignment starts from the beginning of the compacted topic, which holds the latest status (with spec
 * and sweep) of every run. That is how a replica learns the state, batch size, model and dataset of the runs whose
 * metrics it owns, whichever partitions the metrics group gives it, and how it lists every sweep.
 */
@ApplicationScoped
@Identifier(MetricsChannels.STATUS_LISTENER)
public class StatusPartitionListener implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(StatusPartitionListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ConsumerProgress progress;

    public StatusPartitionListener(ConsumerProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> set = new HashSet<>(partitions);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(set, TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(set, TIMEOUT);
        long replay = 0;
        for (TopicPartition tp : set) {
            long start = begins.getOrDefault(tp, 0L);
            long end = ends.getOrDefault(tp, start);
            // status records are dead-lettered only when new: on a replay they already were (by this service's
            // replica that owned the partition then)
            progress.status().assigned(tp.partition(), start, end, end, Integer.MIN_VALUE);
            replay += end - start;
        }
        consumer.seekToBeginning(set);
        LOG.infof("status partitions assigned: replaying up to %d records", replay);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> progress.status().revoked(tp.partition()));
    }
}

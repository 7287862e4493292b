package dev.batchscope.metrics.kafka;

import dev.batchscope.metrics.aggregation.Aggregator;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Rebuild of the metrics topic. Every replica reads every partition: the channel's group id ends in
 * ${quarkus.uuid}, a group per process whose members are only this replica's consumers, so between them they are
 * assigned every partition, and any replica answers for every run. On assignment a consumer starts its partitions
 * over from their beginning and rebuilds their runs' state (the aggregation is idempotent, so a replay is safe); on
 * revocation (the other local consumer takes the partition) it drops the runs' metrics until the new reader has
 * rebuilt them. The group commits nothing; which replica exports a partition's runs is decided elsewhere
 * ({@link OwnershipMember}).
 * Runs on the channel's polling thread; it waits only for the aggregator's lock, whose holders never wait for it.
 */
@ApplicationScoped
@Identifier(MetricsChannels.METRICS_LISTENER)
public class MetricsPartitionListener implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(MetricsPartitionListener.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Aggregator aggregator;
    private final ConsumerProgress progress;

    public MetricsPartitionListener(Aggregator aggregator, ConsumerProgress progress) {
        this.aggregator = aggregator;
        this.progress = progress;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        progress.metricsMembers().assigned(consumer.groupMetadata().memberId(), consumer.groupMetadata().generationId());
        if (partitions.isEmpty()) {
            return;
        }
        Set<TopicPartition> set = new HashSet<>(partitions);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(set, TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(set, TIMEOUT);
        int generation = consumer.groupMetadata().generationId();
        long replay = 0;
        for (TopicPartition tp : set) {
            long start = begins.getOrDefault(tp, 0L);
            long end = ends.getOrDefault(tp, start);
            // dead-lettering follows the export ownership's boundary, not this topic progress: start is a placeholder
            progress.metrics().assigned(tp.partition(), start, start, end, generation);
            replay += end - start;
        }
        List<Integer> ids = set.stream().map(TopicPartition::partition).sorted().toList();
        await(aggregator.assign(ids, generation));
        consumer.seekToBeginning(set);
        LOG.infof("metrics partitions %s assigned (generation %d): replaying %d records to rebuild their runs",
                ids, generation, replay);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        release(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        release(partitions);
    }

    private void release(Collection<TopicPartition> partitions) {
        List<Integer> ids = partitions.stream().map(TopicPartition::partition).sorted().toList();
        await(aggregator.revoke(ids));
        ids.forEach(progress.metrics()::revoked);
        LOG.infof("metrics partitions %s released", ids);
    }

    private static void await(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing partitions to the aggregator", e);
        } catch (Exception e) {
            throw new IllegalStateException("the aggregator did not take the partition change", e);
        }
    }
}

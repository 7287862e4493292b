package dev.batchscope.metrics.kafka;

import dev.batchscope.metrics.aggregation.Aggregator;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * Scale-out and rebuild of the metrics topic. Replicas share one consumer group, so each owns some partitions and
 * with them the runs keyed there. On assignment a replica starts those partitions over from their beginning and
 * rebuilds its runs' state (the aggregation is idempotent, so a replay is safe); offsets are committed only to mark
 * how far bad records were already dead-lettered. On revocation it drops the runs' metrics and their series leave
 * its /q/metrics; the new owner rebuilds and exports them.
 * Runs on the channel's polling thread; it waits only for the aggregator's lock, whose holders never wait for it.
 */
@ApplicationScoped
@Identifier(Channels.METRICS_LISTENER)
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
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(set, TIMEOUT);
        Map<TopicPartition, Long> begins = consumer.beginningOffsets(set, TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(set, TIMEOUT);
        int generation = consumer.groupMetadata().generationId();
        long replay = 0;
        for (TopicPartition tp : set) {
            long start = begins.getOrDefault(tp, 0L);
            OffsetAndMetadata c = committed.get(tp);
            long end = ends.getOrDefault(tp, start);
            progress.metrics().assigned(tp.partition(), start, c == null ? start : c.offset(), end, generation);
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
        OffsetCommitter.commitSync(consumer, progress.metrics(), partitions);
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

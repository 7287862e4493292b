package dev.batchscope.metrics.kafka;

import dev.batchscope.events.Topics;
import dev.batchscope.metrics.MetricsConfig;
import dev.batchscope.metrics.aggregation.Aggregator;
import dev.batchscope.service.kafka.KafkaClientConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This replica's member of the replicas' shared group on batchscope.metrics. It reads nothing (the metrics channel
 * reads every partition in a group of this replica's own): it pauses whatever it is assigned and polls only to stay
 * a member. The group hands each partition to one live replica, and the partitions this member holds are the ones
 * whose runs this replica exports to Prometheus and whose bad records it dead-letters ({@link ExportOwnership}). It
 * commits how far those were examined for the DLQ, so that a replay, or the next owner, does not dead-letter them
 * again. A KafkaConsumer is not thread-safe: everything it does happens on its own thread.
 */
@ApplicationScoped
public class OwnershipMember {
    private static final Logger LOG = Logger.getLogger(OwnershipMember.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Aggregator aggregator;
    private final ExportOwnership ownership;
    private final KafkaClientConfig kafka;
    private final TopicProgress read;
    private final ReaderRewind rewind;
    private final String group;
    private final long commitIntervalNanos;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public OwnershipMember(Aggregator aggregator, ConsumerProgress progress, KafkaClientConfig kafka,
                           MetricsConfig config, ReaderRewind rewind) {
        this.aggregator = aggregator;
        this.ownership = progress.exportOwnership();
        this.read = progress.metrics();
        this.rewind = rewind;
        this.kafka = kafka;
        this.group = config.export().groupId();
        this.commitIntervalNanos = Math.max(100, config.commitInterval().toMillis()) * 1_000_000L;
    }

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "batchscope-export-ownership");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            // leaving the group commits and hands the partitions over at once, not after the session times out
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    private void run() {
        Map<String, Object> props = kafka.copy();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-ownership-" + ProcessHandle.current().pid());
        // cooperative: a rebalance takes from a replica only the partitions that move, so the runs that stay keep
        // their series (the eager default revokes everything first and /q/metrics empties for a moment)
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(Topics.METRICS), new Listener(c));
            long lastCommit = System.nanoTime();
            while (running) {
                try {
                    c.poll(POLL);
                    if (System.nanoTime() - lastCommit >= commitIntervalNanos) {
                        lastCommit = System.nanoTime();
                        commitAsync(c);
                    }
                } catch (WakeupException e) {
                    // stop() woke it: the loop ends and close() leaves the group
                } catch (RuntimeException e) {
                    LOG.warnf("export ownership: %s (polling on)", e.toString());
                    sleepQuietly();
                }
            }
            commitSync(c, ownership.committable());
        } catch (RuntimeException e) {
            LOG.errorf(e, "export ownership member stopped");
        }
    }

    private void commitAsync(KafkaConsumer<byte[], byte[]> c) {
        Map<TopicPartition, OffsetAndMetadata> offsets = offsets(ownership.committable());
        if (offsets.isEmpty()) {
            return;
        }
        c.commitAsync(offsets, (done, failure) -> {
            if (failure == null) {
                done.forEach((tp, o) -> ownership.committed(tp.partition(), o.offset()));
            } else {
                LOG.debugf("offset commit failed (retried later): %s", failure.getMessage());
            }
        });
    }

    private void commitSync(KafkaConsumer<byte[], byte[]> c, Map<Integer, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = offsets(next);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> ownership.committed(tp.partition(), o.offset()));
        } catch (RuntimeException e) {
            LOG.warnf("could not commit how far bad records were dead-lettered (the next owner may send some"
                    + " again): %s", e.getMessage());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<Integer, Long> next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((p, o) -> offsets.put(new TopicPartition(Topics.METRICS, p), new OffsetAndMetadata(o)));
        return offsets;
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Runs inside poll(), on the member's thread. */
    private final class Listener implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;

        Listener(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ownership.joined();
            if (partitions.isEmpty()) {
                return;
            }
            // fetch nothing: the metrics channel reads the records
            consumer.pause(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions),
                    TIMEOUT);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                long from = c == null ? begins.getOrDefault(tp, 0L) : c.offset();
                long rewindTo = ownership.gained(tp.partition(), from, read.next(tp.partition()));
                if (rewindTo >= 0) {
                    rewind.rewind(tp.partition(), rewindTo);
                }
            }
            List<Integer> ids = ids(partitions);
            aggregator.own(ids).join();
            LOG.infof("exporting the runs of metrics partitions %s", ids);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<Integer, Long> next = new HashMap<>(ownership.committable());
            next.keySet().retainAll(ids(partitions));
            commitSync(consumer, next);
            release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        private void release(Collection<TopicPartition> partitions) {
            List<Integer> ids = ids(partitions);
            ids.forEach(ownership::lost);
            aggregator.disown(ids).join();
            LOG.infof("no longer exporting the runs of metrics partitions %s", ids);
        }
    }

    private static List<Integer> ids(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }
}

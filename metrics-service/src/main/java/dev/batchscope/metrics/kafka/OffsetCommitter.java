package dev.batchscope.metrics.kafka;

import dev.batchscope.metrics.MetricsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Commits how far the metrics consumer has processed, every few seconds and when partitions are revoked. State is
 * always rebuilt from the beginning, so the committed offset does not say where to resume; it says up to where bad
 * records were already dead-lettered, so that a replay does not dead-letter them again. The channel's own commit
 * strategy is "ignore" because it would commit during replays too (backwards, from this group's point of view).
 */
@ApplicationScoped
public class OffsetCommitter {
    private static final Logger LOG = Logger.getLogger(OffsetCommitter.class);

    private final KafkaClientService clients;
    private final ConsumerProgress progress;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public OffsetCommitter(KafkaClientService clients, ConsumerProgress progress, MetricsConfig config) {
        this.clients = clients;
        this.progress = progress;
        this.interval = config.commitInterval();
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "batchscope-offset-commit");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, interval.toMillis());
        timer.scheduleWithFixedDelay(this::commitAsync, ms, ms, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void commitAsync() {
        try {
            Map<Integer, Long> next = progress.metrics().committable();
            if (next.isEmpty()) {
                return;
            }
            // the channel may run several consumers; each commits the partitions it is assigned
            for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object>getConsumers(Channels.METRICS)) {
                consumer.getAssignments().subscribe().with(assigned -> {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (TopicPartition tp : assigned) {
                        Long offset = next.get(tp.partition());
                        if (offset != null) {
                            offsets.put(tp, new OffsetAndMetadata(offset));
                        }
                    }
                    if (offsets.isEmpty()) {
                        return;
                    }
                    // asynchronous: a synchronous commit would hold the polling thread for a broker round trip
                    consumer.commitAsync(offsets).subscribe().with(
                            ok -> offsets.forEach((tp, o) -> progress.metrics().committed(tp.partition(), o.offset())),
                            failure -> LOG.debugf("offset commit failed (retried later): %s", failure.getMessage()));
                }, failure -> LOG.debugf("no assignment to commit: %s", failure.getMessage()));
            }
        } catch (RuntimeException e) {
            LOG.debugf("offset commit skipped: %s", e.getMessage());
        }
    }

    /** On revocation, on the polling thread: commit what was processed of the partitions leaving. */
    static void commitSync(Consumer<?, ?> consumer, TopicProgress progress, Collection<TopicPartition> partitions) {
        Map<Integer, Long> next = progress.committable();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long offset = next.get(tp.partition());
            if (offset != null) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.warnf("could not commit offsets of revoked partitions (their bad records may be dead-lettered"
                    + " again by the next owner): %s", e.getMessage());
        }
    }
}

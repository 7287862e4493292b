package dev.batchscope.scheduler.kafka;

import dev.batchscope.scheduler.pruning.PruningCoordinator;
import dev.batchscope.scheduler.state.SweepStore;
import dev.batchscope.service.kafka.KafkaClientConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Rebuilds the scheduler's state when the status channel gets its partitions, before it reads a single record:
 * a plain consumer replays each new partition from its beginning to its current end, then the channel is
 * positioned exactly there. So the live channel neither misses a record nor re-reads (and re-dead-letters)
 * history, and readiness means "every status event up to startup has been applied".
 * It runs on the channel's polling thread; the consumer keeps its group membership meanwhile.
 */
@ApplicationScoped
@Identifier(SchedulerChannels.STATUS_REPLAY_LISTENER)
public class StatusReplayListener implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(StatusReplayListener.class);
    private static final int ATTEMPTS = 3;

    private final SweepStore store;
    private final StatusCatchUp catchUp;
    private final KafkaClientConfig kafka;
    private final Duration timeout;
    private final PruningCoordinator pruning;

    @Inject
    public StatusReplayListener(SweepStore store, StatusCatchUp catchUp, KafkaClientConfig kafka,
                                @ConfigProperty(name = "batchscope.status.replay-timeout", defaultValue = "120s") Duration timeout,
                                PruningCoordinator pruning) {
        this.store = store;
        this.catchUp = catchUp;
        this.kafka = kafka;
        this.timeout = timeout;
        this.pruning = pruning;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = partitions.stream().filter(tp -> !catchUp.knows(tp)).toList();
        if (!fresh.isEmpty()) {
            StatusReplay.Result result = replayWithRetries(fresh);
            catchUp.replayed(result);
            LOG.infof("replayed %d status events (%d unreadable records skipped) from %d partitions in %d ms; %d sweeps known",
                    result.applied(), result.skipped(), fresh.size(), result.millis(), store.sweepCount());
            // the replayed history may hold crossings whose caps a previous instance never sent
            pruning.replayed();
        }
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, catchUp.resumeAt(partition));
        }
        if (!partitions.isEmpty()) {
            catchUp.markCaughtUp();
        }
    }

    private StatusReplay.Result replayWithRetries(List<TopicPartition> partitions) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return StatusReplay.replay(kafka.copy(), partitions, store, timeout);
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("status replay attempt %d of %d failed: %s", attempt, ATTEMPTS, e.getMessage());
            }
        }
        // failing here stops the channel, and health reports it: serving a partial state would be worse
        throw new IllegalStateException("cannot replay " + partitions.get(0).topic(), last);
    }
}

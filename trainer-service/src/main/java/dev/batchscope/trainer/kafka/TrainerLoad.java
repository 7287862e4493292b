package dev.batchscope.trainer.kafka;

import dev.batchscope.trainer.engine.RunControl;
import dev.batchscope.trainer.engine.StopRequest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells the trainer group when a trainer of this process becomes busy or idle: it records the run's partition for
 * {@link IdleFirstAssignor} and asks for a rebalance, so that a busy trainer gives up its other partitions and an
 * idle one takes partitions whose runs wait.
 */
@ApplicationScoped
public class TrainerLoad {
    private static final Logger LOG = Logger.getLogger(TrainerLoad.class);

    /** How long a run waits for a rebalance that knows it trains here before it trusts the current assignment. */
    static final Duration CONFIRMATION_WAIT = Duration.ofSeconds(30);

    private final KafkaClientService kafka;

    public TrainerLoad(KafkaClientService kafka) {
        this.kafka = kafka;
    }

    /** A run from {@code partition} starts training. */
    public void busy(TopicPartition partition) {
        if (partition != null && IdleFirstAssignor.TRAINING.merge(partition, 1, Integer::sum) == 1) {
            rebalance("a trainer is busy with a run from " + partition);
        }
    }

    /** The run from {@code partition} is over here (finished, failed, handed over). */
    public void idle(TopicPartition partition) {
        if (partition != null && IdleFirstAssignor.TRAINING.computeIfPresent(partition, (p, n) -> n == 1 ? null : n - 1) == null) {
            rebalance("a trainer is idle again after a run from " + partition);
        }
    }

    /**
     * Whether the consumer that delivered a run's record still owns its partition once the group knows the run trains
     * here. Asked on the consumer's polling thread, where rebalances happen, once the run is registered. It waits for
     * a rebalance that this member joined after it became busy ({@link #busy} asks for one): a rebalance joined
     * before may still give the partition to another trainer, since the leader saw this one idle; after it, the
     * partition stays. A revocation before the answer has moved the partition (its next owner trains the run), one
     * after it finds the run and hands it over. Waiting gives up when a hand-off of this very run asks it to stop, and
     * after {@link #CONFIRMATION_WAIT} (a group that does not rebalance leaves the assignment as it is).
     */
    public boolean stillOwned(String channel, int consumerIndex, TopicPartition partition, RunControl run) {
        List<KafkaConsumer<Object, Object>> consumers = kafka.getConsumers(channel);
        if (consumers.isEmpty()) {
            return true;
        }
        KafkaConsumer<Object, Object> consumer = consumers.get(Math.min(Math.max(consumerIndex, 0), consumers.size() - 1));
        long deadline = System.nanoTime() + CONFIRMATION_WAIT.toNanos();
        while (true) {
            boolean waited = System.nanoTime() > deadline;
            CompletableFuture<Optional<Boolean>> answer = consumer.runOnPollingThread(c ->
                    waited || IdleFirstAssignor.confirmed(c.groupMetadata().memberId(), partition)
                            ? Optional.of(c.assignment().contains(partition)) : Optional.<Boolean>empty())
                    .subscribeAsCompletionStage().toCompletableFuture();
            try {
                Optional<Boolean> owned = awaitAnswer(answer, run);
                if (owned == null) {
                    return false;
                }
                if (owned.isPresent()) {
                    return owned.get();
                }
                Thread.sleep(50);
            } catch (ExecutionException e) {
                LOG.warnf(e.getCause(), "cannot read the assignment of %s; training the run of %s", channel, partition);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The polling thread's answer; null when a hand-off of the run asks it to stop while the thread is busy. */
    private static Optional<Boolean> awaitAnswer(CompletableFuture<Optional<Boolean>> answer, RunControl run)
            throws ExecutionException, InterruptedException {
        while (true) {
            try {
                return answer.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                StopRequest stop = run.poll();
                if (stop != null && stop.suspend()) {
                    return null;
                }
            }
        }
    }

    private void rebalance(String why) {
        for (KafkaConsumer<Object, Object> consumer : consumers()) {
            consumer.runOnPollingThread(c -> {
                c.enforceRebalance(why);
            }).subscribe().with(done -> LOG.debugf("rebalance asked: %s", why),
                    failure -> LOG.warnf(failure, "could not ask for a rebalance (%s)", why));
        }
    }

    /** The consumers of the requested-runs channel: one per copy when its concurrency is above 1. */
    private List<KafkaConsumer<Object, Object>> consumers() {
        return kafka.getConsumerChannels().stream()
                .filter(channel -> channel.equals(TrainerChannels.RUNS_REQUESTED) || channel.startsWith(TrainerChannels.RUNS_REQUESTED + "$"))
                .flatMap(channel -> kafka.<Object, Object>getConsumers(channel).stream())
                .toList();
    }
}

package dev.batchscope.trainer.kafka;

import dev.batchscope.trainer.engine.RunControl;
import dev.batchscope.trainer.engine.StopRequest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Set;
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
     * Whether the consumer that delivered a run's record still owns its partition. Asked on the consumer's polling
     * thread, where rebalances happen, once the run is registered: a revocation before the answer has moved the
     * partition, one after it finds the run and hands it over. Waiting gives up when a hand-off of this very run asks
     * it to stop (the polling thread is then busy waiting for it).
     */
    public boolean stillOwned(String channel, int consumerIndex, TopicPartition partition, RunControl run) {
        List<KafkaConsumer<Object, Object>> consumers = kafka.getConsumers(channel);
        if (consumers.isEmpty()) {
            return true;
        }
        KafkaConsumer<Object, Object> consumer = consumers.get(Math.min(Math.max(consumerIndex, 0), consumers.size() - 1));
        CompletableFuture<Set<TopicPartition>> assignment = consumer.getAssignments().subscribeAsCompletionStage().toCompletableFuture();
        while (true) {
            try {
                return assignment.get(100, TimeUnit.MILLISECONDS).contains(partition);
            } catch (TimeoutException e) {
                StopRequest stop = run.poll();
                if (stop != null && stop.suspend()) {
                    return false;
                }
            } catch (ExecutionException e) {
                LOG.warnf(e.getCause(), "cannot read the assignment of %s; training the run of %s", channel, partition);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
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

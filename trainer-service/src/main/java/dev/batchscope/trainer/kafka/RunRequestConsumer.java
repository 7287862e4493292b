package dev.batchscope.trainer.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunRequested;
import dev.batchscope.trainer.runs.RunExecutor;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Trains the runs of {@code batchscope.runs.requested}, one at a time per channel copy (the channel's
 * {@code concurrency} sets how many copies, i.e. runs in parallel, an instance takes).
 *
 * <p>The method blocks for the whole run on a worker thread. That never costs the group membership: SmallRye's
 * Kafka source polls on its own thread, independently of this method, and pauses the partitions while nothing
 * downstream asks for records (pause-if-no-requests), so poll() keeps being called (returning nothing) well within
 * max.poll.interval.ms however long a run trains. The record is acknowledged only when the run finished for good;
 * the throttled commit strategy then commits past it.
 */
@ApplicationScoped
public class RunRequestConsumer {
    private static final Logger LOG = Logger.getLogger(RunRequestConsumer.class);

    private final RunExecutor executor;
    private final TrainerLoad load;

    public RunRequestConsumer(RunExecutor executor, TrainerLoad load) {
        this.executor = executor;
        this.load = load;
    }

    @Incoming(TrainerChannels.RUNS_REQUESTED)
    @Blocking(ordered = true)
    public CompletionStage<Void> onRunRequested(Message<Event> message) {
        Event event = message.getPayload();
        if (event == null) {
            return message.nack(UnreadableRecords.reason(message));
        }
        if (!(event instanceof RunRequested request)) {
            return message.nack(new IllegalArgumentException("expected RunRequested on the requested-runs topic, got " + event.type()));
        }
        IncomingKafkaRecordMetadata<?, ?> metadata = message.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        TopicPartition partition = metadata == null ? null : new TopicPartition(metadata.getTopic(), metadata.getPartition());
        RunExecutor.Ownership ownership = metadata == null ? RunExecutor.Ownership.ALWAYS
                : run -> load.stillOwned(metadata.getChannel(), metadata.getConsumerIndex(), partition, run);
        // busy: this trainer keeps only the run's partition, its others go to idle trainers (IdleFirstAssignor)
        load.busy(partition);
        RunExecutor.Disposition disposition;
        try {
            disposition = executor.execute(request, partition, ownership);
        } catch (RuntimeException e) {
            load.idle(partition);
            // the run's status could not be published or recorded: park the record in the DLQ rather than loop
            LOG.errorf(e, "run %s could not be handled", request.runId());
            return message.nack(e);
        }
        if (disposition == RunExecutor.Disposition.ACKNOWLEDGE) {
            // idle once the acknowledgement is recorded, so that a partition moving in the rebalance commits it
            return message.ack().whenComplete((done, failure) -> load.idle(partition));
        }
        load.idle(partition);
        // suspended: leave it unacknowledged, so that the partition's next owner (or this instance after a restart)
        // receives it again and resumes it from its checkpoint
        return CompletableFuture.completedFuture(null);
    }
}

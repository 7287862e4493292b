package dev.batchscope.scheduler.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.scheduler.metrics.SchedulerMetrics;
import dev.batchscope.scheduler.pruning.PruningCoordinator;
import dev.batchscope.scheduler.state.StatusPosition;
import dev.batchscope.scheduler.state.SweepStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads run status events live, after {@link StatusReplayListener} has replayed the topic's history.
 * Records that cannot be deserialized or validated never arrive here: SmallRye sends them to batchscope.dlq.
 * An event of another type throws, so it goes to the DLQ as well, with the message as its reason.
 */
@ApplicationScoped
public class StatusListener {
    private final SweepStore store;
    private final StatusCatchUp catchUp;
    private final SchedulerMetrics metrics;
    private final PruningCoordinator pruning;

    @Inject
    public StatusListener(SweepStore store, StatusCatchUp catchUp, SchedulerMetrics metrics, PruningCoordinator pruning) {
        this.store = store;
        this.catchUp = catchUp;
        this.metrics = metrics;
        this.pruning = pruning;
    }

    @Incoming(SchedulerChannels.STATUS_IN)
    public void onStatus(ConsumerRecord<String, Event> record) {
        Event event = record.value();
        if (event != null && !(event instanceof RunStatusChanged)) {
            throw new IllegalArgumentException(record.topic() + " carries RunStatusChanged only, not " + event.type());
        }
        if (event != null) {
            RunStatusChanged status = (RunStatusChanged) event;
            store.applyRead(status, new StatusPosition(record.partition(), record.offset()));
            pruning.applied(status);
            metrics.consumed(event.type(), event.emittedAt());
        }
        catchUp.processed(new TopicPartition(record.topic(), record.partition()), record.offset());
    }
}

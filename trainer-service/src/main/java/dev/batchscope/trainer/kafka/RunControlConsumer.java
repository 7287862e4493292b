package dev.batchscope.trainer.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.trainer.runs.RunRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Cancellations from {@code batchscope.runs.control}. Every trainer reads every cancellation (a consumer group
 * of its own, from the earliest retained record), so the one training the run stops it within an iteration and
 * a run cancelled before any trainer picked it up is never trained.
 */
@ApplicationScoped
public class RunControlConsumer {
    private final RunRegistry registry;

    public RunControlConsumer(RunRegistry registry) {
        this.registry = registry;
    }

    @Incoming(Channels.RUNS_CONTROL)
    public CompletionStage<Void> onControl(Message<Event> message) {
        Event event = message.getPayload();
        if (event == null) {
            return message.nack(UnreadableRecords.reason(message));
        }
        if (!(event instanceof RunCancelled cancelled)) {
            return message.nack(new IllegalArgumentException("expected RunCancelled on the control topic, got " + event.type()));
        }
        registry.cancel(cancelled.runId(), cancelled.reason());
        return message.ack();
    }
}

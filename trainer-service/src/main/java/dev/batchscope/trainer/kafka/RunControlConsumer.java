package dev.batchscope.trainer.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunStepCap;
import dev.batchscope.trainer.runs.RunRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Cancellations and step caps from {@code batchscope.runs.control}. Every trainer reads every control event (a
 * consumer group of its own, from the earliest retained record), so the one training the run stops it within an
 * iteration, a run cancelled before any trainer picked it up is never trained, and a run capped before it started
 * starts with its cap.
 */
@ApplicationScoped
public class RunControlConsumer {
    private final RunRegistry registry;

    public RunControlConsumer(RunRegistry registry) {
        this.registry = registry;
    }

    @Incoming(TrainerChannels.RUNS_CONTROL)
    public CompletionStage<Void> onControl(Message<Event> message) {
        Event event = message.getPayload();
        if (event == null) {
            return message.nack(UnreadableRecords.reason(message));
        }
        if (event instanceof RunCancelled cancelled) {
            registry.cancel(cancelled.runId(), cancelled.reason());
        } else if (event instanceof RunStepCap cap) {
            registry.cap(cap.runId(), cap.maxIterations());
        } else {
            return message.nack(new IllegalArgumentException("expected RunCancelled or RunStepCap on the control topic, got "
                    + event.type()));
        }
        return message.ack();
    }
}

package dev.batchscope.scheduler.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;
import java.util.List;

/**
 * Publishes the scheduler's events keyed by runId and returns only once Kafka has acknowledged all of them,
 * so that an HTTP 2xx means the events are in the log.
 */
@ApplicationScoped
public class EventPublisher {
    /** In flight at once; well under the emitters' buffers and the sinks' in-flight limit. */
    private static final int WINDOW = 100;

    private final MutinyEmitter<Event> requests;
    private final MutinyEmitter<Event> control;
    private final MutinyEmitter<Event> status;
    private final Duration timeout;

    @Inject
    public EventPublisher(@Channel(Channels.RUN_REQUESTS) MutinyEmitter<Event> requests,
                          @Channel(Channels.RUN_CONTROL) MutinyEmitter<Event> control,
                          @Channel(Channels.STATUS_OUT) MutinyEmitter<Event> status,
                          @ConfigProperty(name = "batchscope.publish-timeout", defaultValue = "30s") Duration timeout) {
        this.requests = requests;
        this.control = control;
        this.status = status;
        this.timeout = timeout;
    }

    public void requests(List<RunRequested> events) {
        publish(requests, events);
    }

    /** RunCancelled and RunStepCap. */
    public void control(List<? extends Event> events) {
        publish(control, events);
    }

    public void status(List<RunStatusChanged> events) {
        publish(status, events);
    }

    private void publish(MutinyEmitter<Event> emitter, List<? extends Event> events) {
        for (int from = 0; from < events.size(); from += WINDOW) {
            List<Uni<Void>> acks = events.subList(from, Math.min(events.size(), from + WINDOW)).stream()
                    .map(event -> emitter.sendMessage(KafkaRecord.of(event.runId(), (Event) event)))
                    .toList();
            try {
                Uni.join().all(acks).andFailFast().await().atMost(timeout);
            } catch (RuntimeException e) {
                throw new PublishFailedException(e);
            }
        }
    }
}

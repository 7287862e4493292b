package dev.batchscope.scheduler.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Publishes the scheduler's events keyed by runId and returns only once Kafka has acknowledged all of them,
 * so that an HTTP 2xx means the events are in the log. Run requests go round robin over the requested-runs topic's
 * partitions instead of by the key's hash: a trainer trains one run of a partition at a time, so runs hashed onto
 * one partition would wait for each other while other trainers sit idle (docs/design.md, section 12).
 */
@ApplicationScoped
public class EventPublisher {
    /** In flight at once; well under the emitters' buffers and the sinks' in-flight limit. */
    private static final int WINDOW = 100;

    private final MutinyEmitter<Event> requests;
    private final MutinyEmitter<Event> control;
    private final MutinyEmitter<Event> status;
    private final Duration timeout;
    private final KafkaClientService kafka;
    /** The partition of the next run request, modulo the topic's partition count. */
    private final AtomicInteger nextPartition = new AtomicInteger();

    @Inject
    public EventPublisher(@Channel(SchedulerChannels.RUN_REQUESTS) MutinyEmitter<Event> requests,
                          @Channel(SchedulerChannels.RUN_CONTROL) MutinyEmitter<Event> control,
                          @Channel(SchedulerChannels.STATUS_OUT) MutinyEmitter<Event> status,
                          @ConfigProperty(name = "batchscope.publish-timeout", defaultValue = "30s") Duration timeout,
                          KafkaClientService kafka) {
        this.kafka = kafka;
        this.requests = requests;
        this.control = control;
        this.status = status;
        this.timeout = timeout;
    }

    public void requests(List<RunRequested> events) {
        int partitions = requestPartitions();
        // a block of consecutive partitions per call, so that a sweep's runs stay apart while another sweep publishes
        int first = nextPartition.getAndAdd(events.size());
        Map<RunRequested, Integer> partitionOf = new IdentityHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            partitionOf.put(events.get(i), partitions == 0 ? -1 : Math.floorMod(first + i, partitions));
        }
        publish(requests, events, event -> partitions == 0 ? KafkaRecord.<String, Event>of(event.runId(), event)
                : KafkaRecord.<String, Event>of(null, event.runId(), event, null, partitionOf.get(event)));
    }

    /** The requested-runs topic's partition count from the producer's metadata; 0 (the key's hash) when unknown. */
    private int requestPartitions() {
        KafkaProducer<Object, Object> producer = kafka.getProducer(SchedulerChannels.RUN_REQUESTS);
        if (producer == null) {
            return 0;
        }
        try {
            return producer.unwrap().partitionsFor(Topics.RUNS_REQUESTED).size();
        } catch (RuntimeException e) {
            throw new PublishFailedException(e);
        }
    }

    /** RunCancelled and RunStepCap. */
    public void control(List<? extends Event> events) {
        publish(control, events);
    }

    public void status(List<RunStatusChanged> events) {
        publish(status, events);
    }

    private void publish(MutinyEmitter<Event> emitter, List<? extends Event> events) {
        publish(emitter, events, event -> KafkaRecord.<String, Event>of(event.runId(), event));
    }

    private <E extends Event> void publish(MutinyEmitter<Event> emitter, List<E> events, Function<E, Message<Event>> record) {
        for (int from = 0; from < events.size(); from += WINDOW) {
            List<Uni<Void>> acks = events.subList(from, Math.min(events.size(), from + WINDOW)).stream()
                    .map(event -> emitter.sendMessage(record.apply(event)))
                    .toList();
            try {
                Uni.join().all(acks).andFailFast().await().atMost(timeout);
            } catch (RuntimeException e) {
                throw new PublishFailedException(e);
            }
        }
    }
}

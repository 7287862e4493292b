package dev.batchscope.metrics.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.metrics.aggregation.BatchResult;
import dev.batchscope.metrics.aggregation.IncomingEvent;
import dev.batchscope.metrics.export.DeadLetterReason;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A polled batch sorted out: the readable events (and tombstones) of the current assignment in order, the unreadable
 * records (nacked to the DLQ where this replica dead-letters them and nobody did before), and the last offset per
 * partition for progress.
 */
final class RecordBatch {
    private final List<IncomingEvent> events = new ArrayList<>();
    /** The records of {@link #events}, index by index. */
    private final List<KafkaRecord<String, Event>> eventRecords = new ArrayList<>();
    private final List<CompletionStage<Void>> deadLetters = new ArrayList<>();
    private final Map<Integer, Long> lastOffsets = new HashMap<>();
    /** Whether the record of {@link #events} at the same index is this replica's to dead-letter. */
    private final List<Boolean> eventDeadLetters = new ArrayList<>();
    private final TopicProgress topic;
    private final Map<DeadLetterReason, Integer> deadLettered = new EnumMap<>(DeadLetterReason.class);
    private DeadLetterPolicy policy;

    private RecordBatch(TopicProgress topic) {
        this.topic = topic;
    }

    /**
     * A batch of the metrics topic: a bad record is dead-lettered when this replica owns its partition and has not
     * examined it yet ({@link ExportOwnership}).
     *
     * @param rewind where a partition gained with a gap is sent back to
     */
    static RecordBatch metrics(KafkaRecordBatch<String, Event> batch, TopicProgress topic, ExportOwnership owner,
                               ReaderRewind rewind) {
        RecordBatch out = new RecordBatch(topic);
        Map<Integer, ExportOwnership.Claim> claims = new HashMap<>();
        out.policy = new DeadLetterPolicy() {
            @Override
            public boolean deadLetters(int partition, long offset) {
                ExportOwnership.Claim claim = claims.computeIfAbsent(partition, p -> {
                    // a partition's records come in offset order: the first one seen is the batch's first
                    ExportOwnership.Claim c = owner.claim(p, offset);
                    if (c.rewindTo() >= 0) {
                        rewind.rewind(p, c.rewindTo());
                    }
                    return c;
                });
                return claim.deadLetters(offset);
            }

            @Override
            public void sent() {
                claims.forEach((partition, claim) -> {
                    Long last = out.lastOffsets.get(partition);
                    if (last != null) {
                        claim.examined(last + 1);
                    }
                });
            }
        };
        out.sort(batch);
        return out;
    }

    /**
     * A batch of the status topic, which every replica reads whole: a bad record is dead-lettered only by the replica
     * that owns the metrics partition with the same number (a run's status and metrics share a partition number),
     * and only when it is new rather than part of the replay at start.
     */
    static RecordBatch status(KafkaRecordBatch<String, Event> batch, TopicProgress topic, ExportOwnership owner) {
        RecordBatch out = new RecordBatch(topic);
        out.policy = new DeadLetterPolicy() {
            @Override
            public boolean deadLetters(int partition, long offset) {
                return owner.owns(partition) && topic.deadLetters(partition, offset);
            }

            @Override
            public void sent() {
            }
        };
        out.sort(batch);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void sort(KafkaRecordBatch<String, Event> batch) {
        for (KafkaRecord<String, Event> record : batch.getRecords()) {
            IncomingKafkaRecordMetadata<String, Event> meta =
                    record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
            int partition = meta.getPartition();
            long offset = meta.getOffset();
            int generation = meta.getConsumerGroupGenerationId();
            if (!topic.current(partition, generation)) {
                // polled before the partition was (re)assigned; its replay brings it again
                continue;
            }
            lastOffsets.merge(partition, offset, Math::max);
            boolean deadLetters = policy.deadLetters(partition, offset);
            Event event = record.getPayload();
            Header failure = event != null ? null
                    : record.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON);
            if (failure == null) {
                events.add(new IncomingEvent(partition, offset, generation, record.getKey(), event,
                        topic.live(partition, offset)));
                eventRecords.add(record);
                eventDeadLetters.add(deadLetters);
                continue;
            }
            if (deadLetters) {
                String reason = failure.value() == null ? "unreadable record"
                        : new String(failure.value(), StandardCharsets.UTF_8);
                this.deadLetters.add(record.nack(new RejectedEventException(reason)));
                deadLettered.merge(DeadLetterReason.INVALID, 1, Integer::sum);
            }
        }
    }

    List<IncomingEvent> events() {
        return events;
    }

    /**
     * Nacks the events the aggregator rejected into the DLQ, where this replica dead-letters them; completes once
     * the DLQ holds them and this batch's unreadable records, since only then may the committed offset pass them.
     */
    CompletableFuture<Void> deadLetter(BatchResult result) {
        List<CompletionStage<Void>> sent = new ArrayList<>(deadLetters);
        for (BatchResult.Rejection rejection : result.rejections()) {
            if (eventDeadLetters.get(rejection.index())) {
                sent.add(eventRecords.get(rejection.index()).nack(new RejectedEventException(rejection.reason())));
                deadLettered.merge(rejection.kind(), 1, Integer::sum);
            }
        }
        return CompletableFuture.allOf(sent.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }

    /**
     * The records of this batch nacked into the DLQ, by reason. Every replica reads every record, but only the
     * partition's export owner dead-letters, and not what an owner before it already did: so each bad record
     * counts once.
     */
    Map<DeadLetterReason, Integer> deadLettered() {
        return deadLettered;
    }

    /** After {@link #deadLetter}: the DLQ holds what this batch had to send. */
    void markProcessed() {
        lastOffsets.forEach(topic::processed);
        policy.sent();
    }

    /** Which records of a batch this replica dead-letters. */
    private interface DeadLetterPolicy {
        /** Asked once per record, in the batch's order. */
        boolean deadLetters(int partition, long offset);

        /** The DLQ holds the batch's dead letters. */
        void sent();
    }
}

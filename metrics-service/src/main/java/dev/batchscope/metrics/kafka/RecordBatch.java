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
 * records (nacked to the DLQ unless a replay already did that), and the last offset per partition for progress.
 */
final class RecordBatch {
    private final List<IncomingEvent> events = new ArrayList<>();
    /** The records of {@link #events}, index by index. */
    private final List<KafkaRecord<String, Event>> eventRecords = new ArrayList<>();
    private final List<CompletionStage<Void>> deadLetters = new ArrayList<>();
    private final Map<Integer, Long> lastOffsets = new HashMap<>();
    private final TopicProgress topic;
    private final TopicProgress deadLetterOwner;
    private final Map<DeadLetterReason, Integer> deadLettered = new EnumMap<>(DeadLetterReason.class);

    private RecordBatch(TopicProgress topic, TopicProgress deadLetterOwner) {
        this.topic = topic;
        this.deadLetterOwner = deadLetterOwner;
    }

    /**
     * @param topic progress of the batch's topic: which records are current, live, or to be dead-lettered
     */
    static RecordBatch of(KafkaRecordBatch<String, Event> batch, TopicProgress topic) {
        return of(batch, topic, topic);
    }

    /**
     * @param deadLetterOwner whose assignment decides if this replica dead-letters a record's partition (for the
     *                        status topic, that of the metrics partition with the same number)
     */
    @SuppressWarnings("unchecked")
    static RecordBatch of(KafkaRecordBatch<String, Event> batch, TopicProgress topic, TopicProgress deadLetterOwner) {
        RecordBatch out = new RecordBatch(topic, deadLetterOwner);
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
            out.lastOffsets.merge(partition, offset, Math::max);
            Event event = record.getPayload();
            Header failure = event != null ? null
                    : record.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON);
            if (failure == null) {
                out.events.add(new IncomingEvent(partition, offset, generation, record.getKey(), event,
                        topic.live(partition, offset)));
                out.eventRecords.add(record);
                continue;
            }
            if (out.deadLetters(partition, offset)) {
                String reason = failure.value() == null ? "unreadable record"
                        : new String(failure.value(), StandardCharsets.UTF_8);
                out.deadLetters.add(record.nack(new RejectedEventException(reason)));
                out.deadLettered.merge(DeadLetterReason.INVALID, 1, Integer::sum);
            }
        }
        return out;
    }

    List<IncomingEvent> events() {
        return events;
    }

    /**
     * Nacks the events the aggregator rejected into the DLQ, where this replica dead-letters their partition and the
     * replay has not done it already; completes once the DLQ holds them and this batch's unreadable records, since
     * only then may the committed offset pass them.
     */
    CompletableFuture<Void> deadLetter(BatchResult result) {
        List<CompletionStage<Void>> sent = new ArrayList<>(deadLetters);
        for (BatchResult.Rejection rejection : result.rejections()) {
            IncomingEvent event = events.get(rejection.index());
            if (deadLetters(event.partition(), event.offset())) {
                sent.add(eventRecords.get(rejection.index()).nack(new RejectedEventException(rejection.reason())));
                deadLettered.merge(rejection.kind(), 1, Integer::sum);
            }
        }
        return CompletableFuture.allOf(sent.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new));
    }

    /**
     * The records of this batch nacked into the DLQ, by reason. A replay does not nack again what an earlier life of
     * the consumer dead-lettered, and of the status topic (which every replica reads) only the replica that owns the
     * partition dead-letters: so each bad record counts once.
     */
    Map<DeadLetterReason, Integer> deadLettered() {
        return deadLettered;
    }

    void markProcessed() {
        lastOffsets.forEach(topic::processed);
    }

    private boolean deadLetters(int partition, long offset) {
        return deadLetterOwner.has(partition) && topic.deadLetters(partition, offset);
    }
}

package dev.batchscope.scheduler.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.scheduler.state.StatusPosition;
import dev.batchscope.scheduler.state.SweepStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads status partitions from their beginning up to the end offsets they have when the replay starts,
 * applying every status event to a {@link SweepStore}. Records that cannot be read are skipped here: the live
 * channel sends such records to the DLQ when they arrive, so they are already there (or were never readable).
 */
public final class StatusReplay {
    private static final Duration POLL = Duration.ofMillis(200);

    /**
     * @param endOffsets where the replay stopped, per partition: live consumption resumes there
     * @param applied    status events applied
     * @param skipped    records that were not a valid status event
     */
    public record Result(Map<TopicPartition, Long> endOffsets, long applied, long skipped, long millis) {
    }

    private StatusReplay() {
    }

    public static Result replay(Map<String, Object> kafkaConfig, Collection<TopicPartition> partitions,
                                SweepStore store, Duration timeout) {
        long start = System.nanoTime();
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "batchscope-scheduler-status-replay");
        long applied = 0;
        long skipped = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            consumer.seekToBeginning(partitions);
            Set<TopicPartition> remaining = new HashSet<>(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            remaining.removeIf(tp -> consumer.position(tp, timeout) >= end.get(tp));
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("status replay did not reach the end of " + remaining + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // arrived after the replay started: the live channel reads it
                    }
                    if (apply(record, store)) {
                        applied++;
                    } else {
                        skipped++;
                    }
                }
                remaining.removeIf(tp -> consumer.position(tp, timeout) >= end.get(tp));
            }
            return new Result(Map.copyOf(end), applied, skipped, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static boolean apply(ConsumerRecord<String, byte[]> record, SweepStore store) {
        if (record.value() == null) {
            return false;
        }
        Event event;
        try {
            event = EventJson.readEvent(record.value());
        } catch (RuntimeException unreadable) {
            return false;
        }
        if (!(event instanceof RunStatusChanged status)) {
            return false;
        }
        store.applyRead(status, new StatusPosition(record.partition(), record.offset()));
        return true;
    }
}

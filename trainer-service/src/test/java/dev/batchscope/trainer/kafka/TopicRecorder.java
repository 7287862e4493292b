package dev.batchscope.trainer.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.events.json.EventJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Reads topics of a real broker on a thread of its own and keeps every record, for assertions. */
final class TopicRecorder implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    TopicRecorder(Map<String, Object> consumerProps, List<String> topics) {
        consumer = new KafkaConsumer<>(consumerProps);
        consumer.subscribe(topics);
        thread = new Thread(this::poll, "topic-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    List<ConsumerRecord<String, byte[]>> records(String topic) {
        return records.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** The events of one run on {@code topic}, in topic order. */
    List<Event> events(String topic, String runId) {
        List<Event> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records(topic)) {
            if (runId.equals(record.key())) {
                events.add(EventJson.readEvent(record.value()));
            }
        }
        return events;
    }

    <T extends Event> List<T> events(String topic, String runId, Class<T> type) {
        return events(topic, runId).stream().filter(type::isInstance).map(type::cast).toList();
    }

    boolean any(String topic, String runId, Predicate<Event> predicate) {
        return events(topic, runId).stream().anyMatch(predicate);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

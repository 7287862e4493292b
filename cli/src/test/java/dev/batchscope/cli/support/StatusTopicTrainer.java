package dev.batchscope.cli.support;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Plays a trainer on the status topic: reads a sweep's QUEUED statuses and reports progress for its runs. */
public final class StatusTopicTrainer {
    private final KafkaBroker broker;

    public StatusTopicTrainer(KafkaBroker broker) {
        this.broker = broker;
    }

    /** The QUEUED status of every run of the sweep, as the scheduler wrote them. */
    public List<RunStatusChanged> queued(String sweepId) {
        List<RunStatusChanged> queued = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.consumerProps("trainer-" + UUID.randomUUID()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RUNS_STATUS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            consumer.seekToBeginning(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Event event = EventJson.readEvent(record.value());
                    if (event instanceof RunStatusChanged status && status.sweepId().equals(sweepId)
                            && status.state() == RunState.QUEUED) {
                        queued.add(status);
                    }
                }
            }
        }
        queued.sort((a, b) -> Integer.compare(a.sweep().runIndex(), b.sweep().runIndex()));
        return queued;
    }

    public void report(RunStatusChanged status) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            producer.send(new ProducerRecord<>(Topics.RUNS_STATUS, status.runId(), EventJson.write(status))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RUNNING, then SUCCEEDED (or FAILED with a reason), for one run. */
    public void finish(RunStatusChanged queued, boolean succeed) {
        RunStatusChanged running = queued.next(RunState.RUNNING, 1, "test-trainer", null).withEffective(16, 0.05);
        report(running);
        report(succeed ? running.ended(RunOutcome.COMPLETED, 1, "test-trainer", null)
                : running.ended(RunOutcome.DATA, 1, "test-trainer", "dataset: no such file"));
    }
}

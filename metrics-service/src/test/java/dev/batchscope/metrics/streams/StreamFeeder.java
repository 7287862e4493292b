package dev.batchscope.metrics.streams;

import dev.batchscope.events.Topics;
import dev.batchscope.testing.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;

/** Produces recorded streams to the real broker, keyed as recorded (by runId), as a trainer and scheduler would. */
public final class StreamFeeder {
    private StreamFeeder() {
    }

    /**
     * Feeds the textbook recording, moved in time so that its newest event was emitted a second ago: finished-run
     * expiry then sees the textbook sweep as fresh and the archived sweep (two days older) as long finished.
     */
    public static void feedTextbook(KafkaBroker broker) {
        feedTextbook(broker, key -> true);
    }

    /** Feeds the records of the textbook recording whose key (runId) passes {@code runs}. */
    public static void feedTextbook(KafkaBroker broker, java.util.function.Predicate<String> runs) {
        RecordedStream metrics = RecordedStream.textbookMetrics().only(runs);
        RecordedStream status = RecordedStream.textbookStatus().only(runs);
        Instant latest = metrics.latestEmittedAt().isAfter(status.latestEmittedAt()) ? metrics.latestEmittedAt()
                : status.latestEmittedAt();
        Duration shift = Duration.between(latest, Instant.now().minusSeconds(1));
        feed(broker, Topics.RUNS_STATUS, status.shifted(shift));
        feed(broker, Topics.METRICS, metrics.shifted(shift));
    }

    /**
     * Feeds a copy of the textbook recording's runs that pass {@code runs} as another sweep: sweep id and run ids
     * rewritten (tb-... becomes {@code runPrefix}-...), timestamps moved to now like {@link #feedTextbook}.
     */
    public static void feedTextbookAs(KafkaBroker broker, String sweepId, String runPrefix,
                                      java.util.function.Predicate<String> runs) {
        java.util.function.UnaryOperator<String> rename = text -> text
                .replace(RecordTextbookSweep.SWEEP, sweepId).replace("\"tb-b", "\"" + runPrefix + "-b");
        RecordedStream metrics = RecordedStream.textbookMetrics().only(runs).renamed(rename);
        RecordedStream status = RecordedStream.textbookStatus().only(runs).renamed(rename);
        Instant latest = metrics.latestEmittedAt().isAfter(status.latestEmittedAt()) ? metrics.latestEmittedAt()
                : status.latestEmittedAt();
        Duration shift = Duration.between(latest, Instant.now().minusSeconds(1));
        feed(broker, Topics.RUNS_STATUS, status.shifted(shift));
        feed(broker, Topics.METRICS, metrics.shifted(shift));
    }

    public static void feed(KafkaBroker broker, String topic, RecordedStream stream) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            for (RecordedStream.Record r : stream.records()) {
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
            }
            producer.flush();
        }
    }

    public static void send(KafkaBroker broker, String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}

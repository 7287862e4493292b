package dev.batchscope.metrics.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.metrics.aggregation.Aggregator;
import dev.batchscope.metrics.export.ServiceMetrics;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Consumes batchscope.metrics a poll at a time (batch mode): the records are deserialized and validated on the
 * polling thread, the batch is applied by the aggregator in one go. Every replica reads every partition (see
 * {@link MetricsPartitionListener}). Records that cannot be read, or that do not belong on this topic, are nacked
 * one by one by the partition's export owner ({@link ExportOwnership}), which sends them to batchscope.dlq through
 * the channel's dead-letter-queue strategy with the reason in the headers; the rest of the batch is applied.
 */
@ApplicationScoped
public class MetricsConsumer {
    private final Aggregator aggregator;
    private final ConsumerProgress progress;
    private final ServiceMetrics serviceMetrics;
    private final ReaderRewind rewind;

    public MetricsConsumer(Aggregator aggregator, ConsumerProgress progress, ServiceMetrics serviceMetrics,
                           ReaderRewind rewind) {
        this.aggregator = aggregator;
        this.progress = progress;
        this.serviceMetrics = serviceMetrics;
        this.rewind = rewind;
    }

    @Incoming(MetricsChannels.METRICS)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, Event> batch) {
        RecordBatch records = RecordBatch.metrics(batch, progress.metrics(), progress.exportOwnership(), rewind);
        return aggregator.applyMetrics(records.events())
                // the committed offset may pass a bad record only once the DLQ has it
                .thenCompose(records::deadLetter)
                .thenRun(() -> records.deadLettered().forEach(serviceMetrics::deadLettered))
                .thenRun(records::markProcessed)
                .thenCompose(v -> batch.ack());
    }
}

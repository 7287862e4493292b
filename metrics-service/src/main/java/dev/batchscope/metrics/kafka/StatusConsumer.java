package dev.batchscope.metrics.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.metrics.aggregation.Aggregator;
import dev.batchscope.metrics.export.ServiceMetrics;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Reads batchscope.runs.status, all of it, in every replica (see {@link StatusPartitionListener}). Every replica sees
 * every bad record, so only one dead-letters it: the replica that owns the metrics partition with the same number
 * (a run's status and metrics share a partition number, both topics having 12 partitions keyed by runId), and only
 * when the record is new rather than part of the replay at start.
 */
@ApplicationScoped
public class StatusConsumer {
    private final Aggregator aggregator;
    private final ConsumerProgress progress;
    private final ServiceMetrics serviceMetrics;

    public StatusConsumer(Aggregator aggregator, ConsumerProgress progress, ServiceMetrics serviceMetrics) {
        this.aggregator = aggregator;
        this.progress = progress;
        this.serviceMetrics = serviceMetrics;
    }

    @Incoming(MetricsChannels.STATUS)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, Event> batch) {
        RecordBatch records = RecordBatch.status(batch, progress.status(), progress.exportOwnership());
        return aggregator.applyStatus(records.events())
                // the committed offset may pass a bad record only once the DLQ has it
                .thenCompose(records::deadLetter)
                .thenRun(() -> records.deadLettered().forEach(serviceMetrics::deadLettered))
                .thenRun(records::markProcessed)
                .thenCompose(v -> batch.ack());
    }
}

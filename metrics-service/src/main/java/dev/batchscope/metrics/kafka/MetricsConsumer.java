package dev.batchscope.metrics.kafka;

import dev.batchscope.events.Event;
import dev.batchscope.metrics.aggregation.Aggregator;
import dev.batchscope.metrics.aggregation.BatchResult;
import dev.batchscope.metrics.aggregation.IncomingEvent;
import dev.batchscope.metrics.metrics.ServiceMetrics;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes batchscope.metrics a poll at a time (batch mode): the records are deserialized and validated on the
 * polling thread, the batch is applied by the aggregator in one go. Records that cannot be read, or that do
 * not belong on this topic, are nacked one by one, which sends them to batchscope.dlq through the channel's
 * dead-letter-queue strategy with the reason in the headers; the rest of the batch is applied.
 */
@ApplicationScoped
public class MetricsConsumer {
    private final Aggregator aggregator;
    private final ConsumerProgress progress;
    private final ServiceMetrics serviceMetrics;

    public MetricsConsumer(Aggregator aggregator, ConsumerProgress progress, ServiceMetrics serviceMetrics) {
        this.aggregator = aggregator;
        this.progress = progress;
        this.serviceMetrics = serviceMetrics;
    }

    @Incoming(Channels.METRICS)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, Event> batch) {
        TopicProgress topic = progress.metrics();
        RecordBatch records = RecordBatch.of(batch, topic);
        serviceMetrics.rejected(ServiceMetrics.REJECTED_INVALID, records.unreadable());
        List<CompletionStage<Void>> deadLetters = new ArrayList<>(records.deadLetters());
        return aggregator.applyMetrics(records.events())
                .thenCompose(result -> {
                    for (BatchResult.Rejection rejection : result.rejections()) {
                        IncomingEvent event = records.events().get(rejection.index());
                        if (topic.deadLetters(event.partition(), event.offset())) {
                            KafkaRecord<String, Event> record = records.recordOf(rejection.index());
                            deadLetters.add(record.nack(new RejectedEventException(rejection.reason())));
                        }
                    }
                    // the committed offset may pass a bad record only once the DLQ has it
                    return CompletableFuture.allOf(deadLetters.stream().map(CompletionStage::toCompletableFuture)
                            .toArray(CompletableFuture[]::new));
                })
                .thenRun(records::markProcessed)
                .thenCompose(v -> batch.ack());
    }
}

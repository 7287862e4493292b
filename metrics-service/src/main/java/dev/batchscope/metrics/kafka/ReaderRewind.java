package dev.batchscope.metrics.kafka;

import dev.batchscope.events.Topics;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.apache.kafka.common.TopicPartition;

/**
 * Sends this replica's metrics reader of a partition back to an offset, on its polling thread. Used when this replica
 * gains export ownership of a partition it has already read past the shared group's dead-letter boundary: the records
 * in between were read while another replica owned them, and only a re-read lets this one examine them for the DLQ.
 * Re-applying them is harmless (the aggregation is idempotent).
 */
@ApplicationScoped
public class ReaderRewind {
    private static final Logger LOG = Logger.getLogger(ReaderRewind.class);

    private final KafkaClientService clients;

    public ReaderRewind(KafkaClientService clients) {
        this.clients = clients;
    }

    public void rewind(int partition, long offset) {
        TopicPartition tp = new TopicPartition(Topics.METRICS, partition);
        for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object>getConsumers(MetricsChannels.METRICS)) {
            consumer.runOnPollingThread(c -> {
                if (c.assignment().contains(tp)) {
                    c.seek(tp, offset);
                    LOG.infof("re-reading metrics partition %d from %d to dead-letter what it holds there",
                            partition, offset);
                }
            }).subscribe().with(ok -> { }, failure -> LOG.debugf("rewind of partition %d failed (asked again"
                    + " later): %s", partition, failure.getMessage()));
        }
    }
}

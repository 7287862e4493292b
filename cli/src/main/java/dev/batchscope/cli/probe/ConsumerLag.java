package dev.batchscope.cli.probe;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A consumer group's lag as the broker sees it: per partition, the end offset minus the group's committed offset
 * (minus the log start where it has committed nothing yet), summed over the topic's partitions. It counts what the
 * group has not committed, so it reads high for a group that commits late or seldom.
 */
public final class ConsumerLag implements AutoCloseable {
    /** The trainers' group on the run requests (trainer-service application.properties). */
    public static final String TRAINER_GROUP = "batchscope-trainer";
    /** The metrics-service's group on the metrics topic (metrics-service application.properties). */
    public static final String METRICS_GROUP = "batchscope-metrics";
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;

    public ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Records of {@code topic} that {@code group} has not committed. */
    public long lag(String group, String topic) throws InterruptedException {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
            Map<TopicPartition, Long> end = offsets(all, OffsetSpec.latest());
            Map<TopicPartition, Long> start = offsets(all, OffsetSpec.earliest());
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition partition : all) {
                OffsetAndMetadata offset = committed.get(partition);
                long from = offset == null ? start.get(partition) : Math.max(offset.offset(), start.get(partition));
                lag += Math.max(0, end.get(partition) - from);
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the lag of " + group + " on " + topic + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(p -> p, p -> spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        result.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    @Override
    public void close() {
        admin.close();
    }
}

package dev.batchscope.events.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the batchscope topics that are missing. Every service calls it at startup, so it must be
 * idempotent and must tolerate a race with another service creating the same topic.
 */
public final class TopicAdmin {
    private static final long TIMEOUT_SECONDS = 30;

    private TopicAdmin() {
    }

    /** Creates the missing topics of {@link TopicCatalog#ALL}; returns the names it created. */
    public static List<String> ensureTopics(Map<String, Object> adminConfig, short replicationFactor) {
        try (Admin admin = Admin.create(adminConfig)) {
            return ensureTopics(admin, TopicCatalog.ALL, replicationFactor);
        }
    }

    public static List<String> ensureTopics(Admin admin, List<TopicDefinition> topics, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(topic.configs()))
                    .toList();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create batchscope topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating batchscope topics", e);
        }
    }
}

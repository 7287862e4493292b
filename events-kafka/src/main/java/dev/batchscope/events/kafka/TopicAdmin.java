package dev.batchscope.events.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the batchscope topics that are missing. Every service calls it at startup, so it must be
 * idempotent and must tolerate a race with another service creating the same topic. On a topic that exists already it
 * raises {@code max.message.bytes} where the catalog asks for more (a DLQ made before dead letters got 2 MiB would
 * otherwise refuse the largest of them); it changes nothing else there.
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

    private static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    private static final System.Logger LOG = System.getLogger(TopicAdmin.class.getName());

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
            raiseRecordLimits(admin, topics.stream().filter(topic -> existing.contains(topic.name())).toList());
            return missing.stream().map(NewTopic::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create batchscope topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating batchscope topics", e);
        }
    }

    private static void raiseRecordLimits(Admin admin, List<TopicDefinition> existing)
            throws InterruptedException, TimeoutException {
        Map<ConfigResource, TopicDefinition> limited = new HashMap<>();
        existing.stream().filter(topic -> topic.configs().containsKey(MAX_MESSAGE_BYTES))
                .forEach(topic -> limited.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), topic));
        if (limited.isEmpty()) {
            return;
        }
        try {
            Map<ConfigResource, Config> current = admin.describeConfigs(limited.keySet()).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<ConfigResource, Collection<AlterConfigOp>> raises = new HashMap<>();
            limited.forEach((resource, topic) -> {
                String wanted = topic.configs().get(MAX_MESSAGE_BYTES);
                ConfigEntry entry = current.get(resource).get(MAX_MESSAGE_BYTES);
                if (entry == null || Long.parseLong(entry.value()) < Long.parseLong(wanted)) {
                    raises.put(resource, List.of(new AlterConfigOp(new ConfigEntry(MAX_MESSAGE_BYTES, wanted),
                            AlterConfigOp.OpType.SET)));
                }
            });
            if (!raises.isEmpty()) {
                admin.incrementalAlterConfigs(raises).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitApplied(admin, limited);
            }
        } catch (ExecutionException e) {
            // a service without the right to alter topic configs still starts; the operator raises it by hand
            LOG.log(System.Logger.Level.WARNING, "cannot raise " + MAX_MESSAGE_BYTES + " of " + limited.keySet()
                    + ": " + e.getCause().getMessage());
        }
    }

    /**
     * Waits until the brokers serve the raised limits. Under KRaft the controller acknowledges a change once it is in
     * the metadata log; a broker applies it when it replays that log, a moment later, and until then it still refuses
     * a record above the old limit (and describes the old value).
     */
    private static void awaitApplied(Admin admin, Map<ConfigResource, TopicDefinition> limited)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            Map<ConfigResource, Config> current = admin.describeConfigs(limited.keySet()).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            boolean applied = limited.entrySet().stream().allMatch(e -> {
                ConfigEntry entry = current.get(e.getKey()).get(MAX_MESSAGE_BYTES);
                return entry != null && Long.parseLong(entry.value())
                        >= Long.parseLong(e.getValue().configs().get(MAX_MESSAGE_BYTES));
            });
            if (applied) {
                return;
            }
            if (System.nanoTime() > deadline) {
                // the change is committed and every broker applies it in the end: say so, and start anyway
                LOG.log(System.Logger.Level.WARNING, "the raised " + MAX_MESSAGE_BYTES + " of " + limited.keySet()
                        + " was not applied within " + TIMEOUT_SECONDS + " s; the largest dead letters may be refused"
                        + " until it is");
                return;
            }
            Thread.sleep(100);
        }
    }
}

package dev.batchscope.testing;

import dev.batchscope.events.Topics;
import dev.batchscope.events.kafka.TopicAdmin;
import dev.batchscope.events.kafka.TopicCatalog;
import dev.batchscope.events.kafka.TopicDefinition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(KafkaBrokerExtension.class)
class TopicAdminTest {

    @Test
    void createsEveryTopicWithItsPartitionsAndCleanupPolicyOnceOnly(KafkaBroker broker) throws Exception {
        List<String> created = TopicAdmin.ensureTopics(broker.adminProps(), (short) 1);
        assertEquals(List.of(Topics.RUNS_REQUESTED, Topics.RUNS_CONTROL, Topics.RUNS_STATUS, Topics.METRICS, Topics.DLQ),
                created);
        assertTrue(TopicAdmin.ensureTopics(broker.adminProps(), (short) 1).isEmpty(), "a second call creates nothing");

        Map<String, Integer> expectedPartitions = Map.of(
                Topics.RUNS_REQUESTED, 12, Topics.RUNS_CONTROL, 1, Topics.RUNS_STATUS, 12, Topics.METRICS, 12, Topics.DLQ, 1);
        Map<String, String> expectedCleanup = Map.of(
                Topics.RUNS_REQUESTED, "delete", Topics.RUNS_CONTROL, "delete", Topics.RUNS_STATUS, "compact",
                Topics.METRICS, "delete", Topics.DLQ, "delete");
        Map<String, Long> expectedRetentionDays = Map.of(
                Topics.RUNS_REQUESTED, 7L, Topics.RUNS_CONTROL, 1L, Topics.METRICS, 7L, Topics.DLQ, 14L);

        try (Admin admin = Admin.create(broker.adminProps())) {
            List<String> names = TopicCatalog.ALL.stream().map(TopicDefinition::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            List<ConfigResource> resources = names.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
            for (String name : names) {
                assertEquals(expectedPartitions.get(name), described.get(name).partitions().size(), name + " partitions");
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                assertEquals(expectedCleanup.get(name), config.get("cleanup.policy").value(), name + " cleanup.policy");
                if (expectedRetentionDays.containsKey(name)) {
                    assertEquals(expectedRetentionDays.get(name) * 86_400_000L,
                            Long.parseLong(config.get("retention.ms").value()), name + " retention.ms");
                }
            }
        }
    }

    @Test
    void aTopicMadeWithASmallerRecordLimitIsRaisedToTheCatalogs(KafkaBroker broker) throws Exception {
        String name = "batchscope.test.old-dlq";
        TopicDefinition wanted = new TopicDefinition(name, 1, Map.of("max.message.bytes", "2097152"));
        try (Admin admin = Admin.create(broker.adminProps())) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();

            assertTrue(TopicAdmin.ensureTopics(admin, List.of(wanted), (short) 1).isEmpty(), "nothing to create");

            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("2097152", config.get("max.message.bytes").value());
        }
    }
}

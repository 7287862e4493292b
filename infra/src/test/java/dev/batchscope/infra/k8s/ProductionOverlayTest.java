package dev.batchscope.infra.k8s;

import dev.batchscope.infra.support.ServiceModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** overlays/production: Kafka that survives a broker, its exporter scraped, pinned images, the trainer's memory. */
class ProductionOverlayTest {
    private static final RenderedOverlay PRODUCTION = RenderedOverlay.of("production");

    @Test
    void threeBrokersAcknowledgeAWriteOnlyOnceTwoReplicasHoldIt() {
        Kafka kafka = PRODUCTION.all(Kafka.class).get(0);
        Map<String, Object> config = kafka.getSpec().getKafka().getConfig();
        assertEquals(3, PRODUCTION.all(KafkaNodePool.class).stream().mapToInt(p -> p.getSpec().getReplicas()).sum());
        assertEquals(2, config.get("min.insync.replicas"));
        assertEquals(3, config.get("default.replication.factor"));
        assertEquals(3, config.get("offsets.topic.replication.factor"), "consumer offsets would die with one broker");
        assertEquals(3, config.get("transaction.state.log.replication.factor"));
        assertEquals(2, config.get("transaction.state.log.min.isr"));
        for (KafkaTopic topic : PRODUCTION.all(KafkaTopic.class)) {
            assertEquals(3, topic.getSpec().getReplicas(), topic.getSpec().getTopicName()
                    + ": fewer replicas than min.insync.replicas + 1 refuse writes while a broker is down");
        }
        ConfigMap config2 = PRODUCTION.all(ConfigMap.class).stream()
                .filter(c -> c.getData().containsKey("KAFKA_BOOTSTRAP_SERVERS")).findFirst().orElseThrow();
        assertEquals("3", config2.getData().get("BATCHSCOPE_KAFKA_REPLICATION"));
    }

    @Test
    void theKafkaExporterRunsAndPrometheusScrapesIt() {
        Kafka kafka = PRODUCTION.all(Kafka.class).get(0);
        assertNotNull(kafka.getSpec().getKafkaExporter(), "no Kafka exporter");
        PodMonitor monitor = PRODUCTION.get(PodMonitor.class, "kafka-exporter");
        assertEquals(kafka.getMetadata().getName() + "-kafka-exporter",
                monitor.getSpec().getSelector().getMatchLabels().get("strimzi.io/name"));
        // the exporter container's port is named tcp-prometheus (9404) by Strimzi
        assertEquals("tcp-prometheus", monitor.getSpec().getPodMetricsEndpoints().get(0).getPort());
        for (String overlay : RenderedOverlay.names()) {
            if (!overlay.equals("production")) {
                assertNull(RenderedOverlay.of(overlay).all(Kafka.class).get(0).getSpec().getKafkaExporter(), overlay);
            }
        }
    }

    @Test
    void imagesArePinnedToAReleaseOrADigest() {
        for (String name : ServiceModule.NAMES) {
            Container container = PRODUCTION.get(Deployment.class, name).getSpec().getTemplate().getSpec().getContainers().get(0);
            String image = container.getImage();
            assertTrue(image.matches("[^:@]+(:\\d+\\.\\d+\\.\\d+|@sha256:[0-9a-f]{64})"),
                    name + ": " + image + " is not pinned to a release (x.y.z) or a digest");
            assertFalse(image.contains("SNAPSHOT") || image.endsWith(":latest"), image);
            assertEquals("IfNotPresent", container.getImagePullPolicy(), name + ": a pinned image need not be pulled again");
        }
    }

    @Test
    void theTrainersMemoryIsSetExplicitly() {
        Container trainer = PRODUCTION.get(Deployment.class, "trainer-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        // twice the measured peak of a full-batch run (docs/benchmarks.md, "Memory"; trainer-memory.yaml)
        assertEquals(new Quantity("1Gi"), trainer.getResources().getRequests().get("memory"));
        assertEquals(new Quantity("2Gi"), trainer.getResources().getLimits().get("memory"));
    }
}

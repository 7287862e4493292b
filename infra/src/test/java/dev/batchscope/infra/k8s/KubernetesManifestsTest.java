package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.batchscope.events.Topics;
import dev.batchscope.events.kafka.TopicCatalog;
import dev.batchscope.events.kafka.TopicDefinition;
import dev.batchscope.infra.prometheus.PrometheusFiles;
import dev.batchscope.infra.support.Dockerfiles;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.ServiceModule;
import dev.batchscope.infra.support.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * infra/k8s rendered by the real kustomize for each overlay and every manifest parsed strictly into its
 * model; then the manifests are held against the services, events' TopicCatalog, the Dockerfiles, the
 * dashboards and the Prometheus rules.
 */
class KubernetesManifestsTest {
    private static final String NAMESPACE = "batchscope";
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void everyRenderedManifestParsesStrictlyIntoItsModel(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<String> failures = new ArrayList<>();
        for (JsonNode document : rendered.documents()) {
            try {
                StrictManifests.parse(document);
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertEquals(List.of(), failures);
        Map<String, Long> kinds = rendered.parsed().stream()
                .collect(Collectors.groupingBy(StrictManifests.Parsed::kind, TreeMap::new, Collectors.counting()));
        long services = ServiceModule.NAMES.size();
        TreeMap<String, Long> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("ConfigMap", 4L), Map.entry("Deployment", services), Map.entry("Kafka", 1L),
                Map.entry("KafkaNodePool", 1L), Map.entry("KafkaTopic", (long) TopicCatalog.ALL.size()),
                Map.entry("KafkaUser", services), Map.entry("Namespace", 1L),
                Map.entry("NetworkPolicy", overlay.equals("production") ? 9L : 8L),
                Map.entry("PersistentVolumeClaim", 1L), Map.entry("PodDisruptionBudget", services),
                Map.entry("PrometheusRule", 1L), Map.entry("ScaledObject", 1L), Map.entry("Service", services),
                Map.entry("ServiceAccount", services), Map.entry("ServiceMonitor", services),
                Map.entry("TriggerAuthentication", 1L)));
        if (overlay.equals("production")) {
            expected.put("PodMonitor", 1L); // the Kafka exporter's
        }
        assertEquals(expected, kinds);
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void everyResourceCarriesTheAppKubernetesIoLabelsAndTheNamespace(String overlay) {
        for (JsonNode document : RenderedOverlay.of(overlay).documents()) {
            String where = document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
            JsonNode labels = document.path("metadata").path("labels");
            assertFalse(labels.path("app.kubernetes.io/name").asText().isBlank(), where + " has no app.kubernetes.io/name");
            assertFalse(labels.path("app.kubernetes.io/component").asText().isBlank(), where + " has no app.kubernetes.io/component");
            assertEquals("batchscope", labels.path("app.kubernetes.io/part-of").asText(), where);
            assertEquals("kustomize", labels.path("app.kubernetes.io/managed-by").asText(), where);
            if (!CLUSTER_SCOPED.contains(document.path("kind").asText())) {
                assertEquals(NAMESPACE, document.path("metadata").path("namespace").asText(), where);
            }
            JsonNode podLabels = document.path("spec").path("template").path("metadata").path("labels");
            if (document.path("kind").asText().equals("Deployment")) {
                assertEquals(labels.path("app.kubernetes.io/name"), podLabels.path("app.kubernetes.io/name"), where);
                assertEquals("batchscope", podLabels.path("app.kubernetes.io/part-of").asText(), where + " pods");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void eachServiceRunsItsImageOnItsPortWithProbesAndResources(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (ServiceModule module : ServiceModule.all()) {
            Deployment deployment = rendered.get(Deployment.class, module.name());
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertEquals(1, pod.getContainers().size(), module.name());
            Container container = pod.getContainers().get(0);

            String variant = overlay.equals("gpu") && module.name().equals("trainer-service") ? "cuda" : "jvm";
            String documented = Dockerfiles.documentedImage(module.dockerfile(variant));
            if (overlay.equals("production")) {
                // the same repository, pinned to a release (ProductionOverlayTest checks the tag)
                assertEquals(documented.substring(0, documented.lastIndexOf(':')),
                        container.getImage().replaceFirst("[:@].*$", ""), module.name());
            } else {
                assertEquals(documented, container.getImage(),
                        module.name() + ": the image is not the one " + module.dockerfile(variant) + " builds");
                assertTrue(container.getImage().endsWith(":" + Dockerfiles.projectVersion()), container.getImage());
            }

            assertEquals(1, container.getPorts().size());
            assertEquals("http", container.getPorts().get(0).getName());
            assertEquals(module.httpPort(), container.getPorts().get(0).getContainerPort(),
                    module.name() + ": containerPort is not quarkus.http.port");
            assertProbe(container.getLivenessProbe().getHttpGet(), "/q/health/live", module.name());
            assertProbe(container.getReadinessProbe().getHttpGet(), "/q/health/ready", module.name());
            assertProbe(container.getStartupProbe().getHttpGet(), "/q/health/started", module.name());
            for (String resource : List.of("cpu", "memory")) {
                assertNotNull(container.getResources().getRequests().get(resource), module.name() + " requests no " + resource);
            }
            assertNotNull(container.getResources().getLimits().get("memory"), module.name() + " has no memory limit");
            assertEquals(deployment.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"),
                    deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"));

            Service service = rendered.get(Service.class, module.name());
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
            ServicePort port = service.getSpec().getPorts().get(0);
            assertEquals(module.httpPort(), port.getPort(), module.name() + " Service port");
            assertEquals("http", port.getTargetPort().getStrVal());

            ServiceMonitor monitor = rendered.get(ServiceMonitor.class, module.name());
            assertEquals(service.getMetadata().getLabels().get("app.kubernetes.io/name"),
                    monitor.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/name"));
            Endpoint endpoint = monitor.getSpec().getEndpoints().get(0);
            assertEquals("http", endpoint.getPort());
            assertEquals("/q/metrics", endpoint.getPath());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void everyEnvironmentVariableIsOneTheServiceReads(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<String> unread = new ArrayList<>();
        for (ServiceModule module : ServiceModule.all()) {
            Container container = rendered.get(Deployment.class, module.name()).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            Set<String> variables = new TreeSet<>();
            container.getEnv().stream().map(EnvVar::getName).forEach(variables::add);
            for (EnvFromSource source : container.getEnvFrom()) {
                ConfigMap configMap = rendered.get(ConfigMap.class, source.getConfigMapRef().getName());
                variables.addAll(configMap.getData().keySet());
            }
            variables.stream().filter(v -> !module.readsEnvironmentVariable(v))
                    .forEach(v -> unread.add(module.name() + " does not read " + v));
        }
        assertEquals(List.of(), unread);
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void kafkaIsOneKraftNodePoolAndTheServicesBootstrapFromIt(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<Kafka> clusters = rendered.all(Kafka.class);
        assertEquals(1, clusters.size());
        Kafka kafka = clusters.get(0);
        assertNull(kafka.getSpec().getZookeeper(), "KRaft only");
        KafkaNodePool pool = rendered.all(KafkaNodePool.class).get(0);
        assertEquals(kafka.getMetadata().getName(), pool.getMetadata().getLabels().get("strimzi.io/cluster"));
        assertEquals(Set.of(ProcessRoles.CONTROLLER, ProcessRoles.BROKER), Set.copyOf(pool.getSpec().getRoles()));
        assertNotNull(kafka.getSpec().getEntityOperator().getTopicOperator(), "the Topic Operator reconciles the KafkaTopics");

        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertEquals(1, listeners.size(), "one client listener, TLS with SCRAM (KafkaSecurityTest)");
        String bootstrap = kafka.getMetadata().getName() + "-kafka-bootstrap:" + listeners.get(0).getPort();
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            if (configMap.getData().containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
                assertEquals(bootstrap, configMap.getData().get("KAFKA_BOOTSTRAP_SERVERS"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void everyTopicOfTheCatalogHasAKafkaTopicWithItsPartitionsAndConfig(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        String cluster = rendered.all(Kafka.class).get(0).getMetadata().getName();
        Map<String, KafkaTopic> byTopic = new TreeMap<>();
        for (KafkaTopic topic : rendered.all(KafkaTopic.class)) {
            String name = topic.getSpec().getTopicName() != null ? topic.getSpec().getTopicName() : topic.getMetadata().getName();
            assertEquals(cluster, topic.getMetadata().getLabels().get("strimzi.io/cluster"), name);
            assertNull(byTopic.put(name, topic), "two KafkaTopics for " + name);
        }
        assertEquals(TopicCatalog.ALL.stream().map(TopicDefinition::name).collect(Collectors.toCollection(TreeSet::new)),
                byTopic.keySet());
        // the contract's topics (docs/design.md#3-topics-and-keys), named so a topic dropped from the catalog fails too
        assertTrue(byTopic.keySet().containsAll(List.of(Topics.RUNS_REQUESTED, Topics.RUNS_CONTROL, Topics.RUNS_STATUS,
                Topics.METRICS, Topics.DLQ)), "KafkaTopics " + byTopic.keySet());
        for (TopicDefinition definition : TopicCatalog.ALL) {
            KafkaTopic topic = byTopic.get(definition.name());
            assertEquals(definition.partitions(), topic.getSpec().getPartitions(), definition.name() + " partitions");
            Map<String, String> config = new TreeMap<>();
            topic.getSpec().getConfig().forEach((key, value) -> config.put(key, String.valueOf(value)));
            assertEquals(new TreeMap<>(definition.configs()), config, definition.name() + " config");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void kedaScalesTrainersFromZeroOnTheLagOfRunRequests(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<KedaScaledObject> scaledObjects = rendered.all(KedaScaledObject.class);
        assertEquals(1, scaledObjects.size());
        KedaScaledObject scaledObject = scaledObjects.get(0);
        assertEquals(List.of(), scaledObject.problems());
        Deployment trainer = rendered.get(Deployment.class, "trainer-service");
        assertEquals("Deployment", scaledObject.spec().scaleTargetRef().kind());
        assertEquals(trainer.getMetadata().getName(), scaledObject.spec().scaleTargetRef().name());
        assertNull(trainer.getSpec().getReplicas(), "KEDA owns the trainer count; the Deployment must not fight it");
        assertEquals(0, scaledObject.spec().minReplicaCount());
        assertTrue(scaledObject.spec().maxReplicaCount() >= 1
                && scaledObject.spec().maxReplicaCount() <= TopicCatalog.RUN_PARTITIONS,
                "more trainers than partitions of " + Topics.RUNS_REQUESTED + " would idle");

        KedaScaledObject.Trigger trigger = scaledObject.spec().triggers().get(0);
        assertEquals("kafka", trigger.type());
        assertEquals(Topics.RUNS_REQUESTED, trigger.metadata().get("topic"));
        assertEquals(trainerConsumerGroup(), trigger.metadata().get("consumerGroup"),
                "the ScaledObject must watch the trainers' own consumer group");
        Kafka kafka = rendered.all(Kafka.class).get(0);
        int port = kafka.getSpec().getKafka().getListeners().get(0).getPort();
        assertEquals(kafka.getMetadata().getName() + "-kafka-bootstrap." + NAMESPACE + ".svc:" + port,
                trigger.metadata().get("bootstrapServers"), "KEDA runs in its own namespace: the full Service name");
        assertEquals("earliest", trigger.metadata().get("offsetResetPolicy"),
                "with latest, a consumer group that never committed shows no lag and trainers never start");
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void trainersShareTheCheckpointVolumeWhereTheyAreToldToWrite(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        PodSpec pod = rendered.get(Deployment.class, "trainer-service").getSpec().getTemplate().getSpec();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).findFirst()
                .orElseThrow(() -> new AssertionError("the trainers mount no PersistentVolumeClaim"));
        PersistentVolumeClaim claim = rendered.get(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
        assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes(),
                "a run resumes in whichever trainer pod picks it up, on any node");
        Container container = pod.getContainers().get(0);
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
                .findFirst().orElseThrow();
        EnvVar dir = container.getEnv().stream().filter(e -> e.getName().equals("BATCHSCOPE_CHECKPOINT_DIR"))
                .findFirst().orElseThrow(() -> new AssertionError("the trainer is not told where checkpoints go"));
        assertEquals(mount.getMountPath(), dir.getValue());
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void theDashboardsConfigMapCarriesEveryDashboardForGrafanasSidecar(String overlay) throws Exception {
        ConfigMap dashboards = RenderedOverlay.of(overlay).get(ConfigMap.class, "batchscope-dashboards");
        assertEquals("1", dashboards.getMetadata().getLabels().get("grafana_dashboard"));
        Path dir = Repo.infra("grafana/dashboards");
        Map<String, String> files = new TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path file : list.filter(p -> p.toString().endsWith(".json")).collect(Collectors.toList())) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertEquals(files, new TreeMap<>(dashboards.getData()));
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void thePrometheusRuleHoldsTheGroupsOfTheRuleFiles(String overlay) throws Exception {
        PrometheusRule rule = RenderedOverlay.of(overlay).all(PrometheusRule.class).get(0);
        ArrayNode expected = Yaml.YAML.createArrayNode();
        for (Path file : PrometheusFiles.ruleFiles()) {
            Yaml.read(file).path("groups").forEach(expected::add);
        }
        JsonNode actual = Yaml.YAML.valueToTree(rule.getSpec().getGroups());
        if (!expected.equals(actual)) {
            Path regenerated = Repo.target("k8s").resolve("prometheus-rules.groups.yaml");
            Files.writeString(regenerated, Yaml.write(expected), StandardCharsets.UTF_8);
            Files.writeString(Repo.target("k8s").resolve("prometheus-rules.groups.rendered.yaml"), Yaml.write(actual),
                    StandardCharsets.UTF_8);
            throw new AssertionError("infra/k8s/base/prometheus-rules.yaml differs from infra/prometheus/rules/*.yml;"
                    + " its spec.groups should be " + regenerated);
        }
    }

    @Test
    void gpuTrainersTakeOneGpuOnGpuNodesAndCpuTrainersNone() {
        PodSpec gpu = RenderedOverlay.of("gpu").get(Deployment.class, "trainer-service").getSpec().getTemplate().getSpec();
        Container container = gpu.getContainers().get(0);
        assertEquals(new Quantity("1"), container.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("1"), container.getResources().getRequests().get("nvidia.com/gpu"),
                "extended resources: requests equal limits");
        assertTrue(gpu.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())
                && "NoSchedule".equals(t.getEffect())), "no toleration for nvidia.com/gpu taints");
        assertEquals("true", gpu.getNodeSelector().get("nvidia.com/gpu.present"));
        assertTrue(container.getImage().startsWith("batchscope/trainer-service-cuda:"), container.getImage());

        for (String name : ServiceModule.NAMES) {
            PodSpec cpu = RenderedOverlay.of("cpu").get(Deployment.class, name).getSpec().getTemplate().getSpec();
            assertFalse(RenderedOverlay.of("cpu").yaml().contains("nvidia.com/gpu"));
            assertTrue(cpu.getTolerations() == null || cpu.getTolerations().isEmpty(), name);
        }
        for (String name : List.of("scheduler-service", "metrics-service")) {
            Container other = RenderedOverlay.of("gpu").get(Deployment.class, name).getSpec().getTemplate().getSpec()
                    .getContainers().get(0);
            assertNull(other.getResources().getLimits().get("nvidia.com/gpu"), name + " needs no GPU");
        }
    }

    @Test
    void theImagesAreTheOnesDockerComposeBuilds() {
        JsonNode compose = Yaml.read(Repo.path("docker-compose.yml")).path("services");
        for (ServiceModule module : ServiceModule.all()) {
            Container container = RenderedOverlay.of("cpu").get(Deployment.class, module.name()).getSpec()
                    .getTemplate().getSpec().getContainers().get(0);
            assertEquals(compose.path(module.name()).path("image").asText(), container.getImage(), module.name());
        }
    }

    @Test
    void containersRunAsTheUserTheDockerfilesCreate() {
        for (ServiceModule module : ServiceModule.all()) {
            PodSpec pod = RenderedOverlay.of("cpu").get(Deployment.class, module.name()).getSpec().getTemplate().getSpec();
            String user = Dockerfiles.finalStage(module.dockerfile("jvm")).stream().filter(l -> l.startsWith("USER "))
                    .map(l -> l.substring(5).trim()).reduce((a, b) -> b).orElseThrow();
            assertEquals(Long.valueOf(user), pod.getSecurityContext().getRunAsUser(), module.name());
            assertTrue(pod.getSecurityContext().getRunAsNonRoot(), module.name());
        }
    }

    /** The consumer group of the trainer's channel on batchscope.runs.requested, as Quarkus resolves it. */
    static String trainerConsumerGroup() {
        ServiceModule trainer = ServiceModule.named("trainer-service");
        for (String key : trainer.propertyKeys()) {
            if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")
                    && Topics.RUNS_REQUESTED.equals(trainer.property(key).orElse(null))) {
                String channel = key.substring("mp.messaging.incoming.".length(), key.length() - ".topic".length());
                return trainer.property("mp.messaging.incoming." + channel + ".group.id")
                        .or(() -> trainer.property("kafka.group.id"))
                        .orElse(trainer.applicationName());
            }
        }
        // No channel declared yet: SmallRye Kafka in Quarkus defaults group.id to quarkus.application.name.
        return trainer.property("kafka.group.id").orElse(trainer.applicationName());
    }

    private static void assertProbe(HTTPGetAction probe, String path, String service) {
        assertNotNull(probe, service + " has no HTTP probe for " + path);
        assertEquals(path, probe.getPath(), service);
        assertEquals("http", probe.getPort().getStrVal(), service + " probe port");
    }
}

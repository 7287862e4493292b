package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.infra.support.Yaml;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict parser refuses what an API server or operator would refuse or silently drop. */
class StrictManifestsTest {
    private static final String DEPLOYMENT = String.join("\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: {name: d, labels: {app.kubernetes.io/name: d}}",
            "spec:",
            "  %s",
            "  selector: {matchLabels: {app.kubernetes.io/name: d}}",
            "  template:",
            "    metadata: {labels: {app.kubernetes.io/name: d}}",
            "    spec:",
            "      containers:",
            "        - name: d",
            "          image: batchscope/d:1",
            "          ports: [{name: http, containerPort: 8080}]",
            "");

    @Test
    void aValidDeploymentParsesIntoFabric8sModel() {
        Deployment deployment = StrictManifests.parse(doc(String.format(DEPLOYMENT, "replicas: 2"))).as(Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(8080, deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0)
                .getContainerPort());
    }

    @Test
    void aMisspelledFieldFailsInsteadOfLandingInAdditionalProperties() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> StrictManifests.parse(doc(String.format(DEPLOYMENT, "replica: 2"))));
        assertTrue(error.getMessage().contains("replica"), error.getMessage());
    }

    @Test
    void aStringWhereTheApiWantsAnIntegerFails() {
        assertThrows(AssertionError.class,
                () -> StrictManifests.parse(doc(String.format(DEPLOYMENT, "replicas: \"two\""))));
        assertThrows(AssertionError.class,
                () -> StrictManifests.parse(doc(String.format(DEPLOYMENT, "replicas: \"2\""))));
    }

    @Test
    void aNumberWhereTheApiWantsAStringFails() {
        assertThrows(AssertionError.class, () -> StrictManifests.parse(doc(String.join("\n",
                "apiVersion: v1", "kind: ConfigMap", "metadata: {name: c, labels: {grafana_dashboard: 1}}"))));
    }

    @Test
    void strimziModelsRefuseUnknownFieldsToo() {
        String topic = "apiVersion: kafka.strimzi.io/v1\nkind: KafkaTopic\nmetadata: {name: t}\nspec: {%s: 3}\n";
        assertEquals(3, StrictManifests.parse(doc(String.format(topic, "partitions"))).as(KafkaTopic.class)
                .getSpec().getPartitions());
        assertThrows(AssertionError.class, () -> StrictManifests.parse(doc(String.format(topic, "partition"))));
    }

    @Test
    void kedaScaledObjectsRefuseUnknownFields() {
        String scaledObject = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: s}\n"
                + "spec: {scaleTargetRef: {name: d}, %s: 3, triggers: [{type: kafka, metadata: {topic: t}}]}\n";
        assertEquals(3, StrictManifests.parse(doc(String.format(scaledObject, "maxReplicaCount")))
                .as(KedaScaledObject.class).spec().maxReplicaCount());
        assertThrows(AssertionError.class, () -> StrictManifests.parse(doc(String.format(scaledObject, "maxReplicas"))));
    }

    @Test
    void kedaKafkaTriggersWithUnknownParametersAreReported() {
        KedaScaledObject scaledObject = StrictManifests.parse(doc("apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\n"
                + "metadata: {name: s}\nspec: {scaleTargetRef: {name: d}, triggers: [{type: kafka, metadata: "
                + "{bootstrapServers: k:9092, consumerGroup: g, topic: t, lagTreshold: '1'}}]}\n"))
                .as(KedaScaledObject.class);
        assertEquals(1, scaledObject.problems().size(), scaledObject.problems().toString());
        assertTrue(scaledObject.problems().get(0).contains("lagTreshold"));
    }

    @Test
    void anUnknownKindFails() {
        AssertionError error = assertThrows(AssertionError.class, () -> StrictManifests.parse(doc(
                "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\n")));
        assertTrue(error.getMessage().contains("no model"), error.getMessage());
    }

    private static JsonNode doc(String yaml) {
        return Yaml.readAll(yaml).get(0);
    }
}

package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered Kubernetes manifests into their models with nothing let through: fabric8's
 * kubernetes-model (core, apps, policy, networking; monitoring.coreos.com from openshift-model-monitoring),
 * Strimzi's io.strimzi:api, {@link KedaScaledObject} and {@link KedaTriggerAuthentication}.
 * <p>
 * Those models accept unknown fields on purpose (a {@code @JsonAnySetter} keeps them in
 * {@code additionalProperties}) so clients survive newer servers. Here that would hide a typo such as
 * {@code replica:} or {@code livenesProbe:}, so the any-setters are switched off, unknown properties fail,
 * scalars are not coerced (a string where the API wants an integer fails, as the API server would), and
 * every scalar of the input must come back when the parsed object is written out again, so nothing was
 * dropped silently.
 */
public final class StrictManifests {
    /** apiVersion/kind to model; a kind not listed fails. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", KedaScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", KedaTriggerAuthentication.class));

    private static final ObjectMapper STRICT = strictMapper();
    private static final ObjectMapper WRITER = new ObjectMapper();

    private StrictManifests() {
    }

    /** A manifest parsed into its model, with the document it came from. */
    public record Parsed(JsonNode source, Object model) {
        public String kind() {
            return source.path("kind").asText();
        }

        public String name() {
            return source.path("metadata").path("name").asText();
        }

        public <T> T as(Class<T> type) {
            return type.cast(model);
        }
    }

    /** Parses one document; fails with the kind, name and what is wrong. */
    public static Parsed parse(JsonNode document) {
        String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        String where = key + " " + document.path("metadata").path("name").asText();
        Class<?> model = MODELS.get(key);
        if (model == null) {
            throw new AssertionError(where + ": no model for this apiVersion and kind; known: " + MODELS.keySet());
        }
        Object parsed;
        try {
            parsed = STRICT.treeToValue(document, model);
        } catch (Exception e) {
            throw new AssertionError(where + " does not parse strictly into " + model.getName() + ": "
                    + e.getMessage(), e);
        }
        List<String> dropped = new ArrayList<>();
        JsonNode written = WRITER.valueToTree(parsed);
        // Strimzi's models write their storage version whatever they read; the version read must be one they serve
        if (written.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) written).set("apiVersion", document.path("apiVersion"));
        }
        String version = document.path("apiVersion").asText().replaceFirst("^.*/", "");
        List<String> served = servedVersions(model);
        if (!served.isEmpty() && !served.contains(version)) {
            throw new AssertionError(where + ": " + model.getSimpleName() + " serves " + served + ", not " + version);
        }
        compareLeaves(document, written, "", dropped);
        if (!dropped.isEmpty()) {
            throw new AssertionError(where + ": the model " + model.getSimpleName() + " lost " + dropped);
        }
        return new Parsed(document, parsed);
    }

    private static void compareLeaves(JsonNode input, JsonNode output, String path, List<String> dropped) {
        if (input.isObject()) {
            if (!output.isObject()) {
                dropped.add(path + " (an object became " + output.getNodeType() + ")");
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = input.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode out = output.get(field.getKey());
                if (out == null) {
                    // models leave out fields at their Java default (false, 0) when writing: not a loss
                    JsonNode value = field.getValue();
                    boolean javaDefault = value.isNull() || (value.isBoolean() && !value.asBoolean())
                            || (value.isNumber() && value.asDouble() == 0);
                    if (!javaDefault) {
                        dropped.add(path + "." + field.getKey());
                    }
                    continue;
                }
                compareLeaves(field.getValue(), out, path + "." + field.getKey(), dropped);
            }
        } else if (input.isArray()) {
            if (!output.isArray() || output.size() != input.size()) {
                dropped.add(path + " (array changed)");
                return;
            }
            for (int i = 0; i < input.size(); i++) {
                compareLeaves(input.get(i), output.get(i), path + "[" + i + "]", dropped);
            }
        } else if (!input.isNull() && !input.asText().equals(output.asText())) {
            dropped.add(path + " (" + input + " became " + output + ")");
        }
    }

    /** The versions a Strimzi model serves (its public static VERSIONS), or none for other models. */
    @SuppressWarnings("unchecked")
    private static List<String> servedVersions(Class<?> model) {
        try {
            return (List<String>) model.getField("VERSIONS").get(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return List.of();
        }
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .annotationIntrospector(new NoUnknownPropertiesIntrospector())
                .build();
        for (LogicalType textual : List.of(LogicalType.Textual)) {
            mapper.coercionConfigFor(textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
            mapper.coercionConfigFor(textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
            mapper.coercionConfigFor(textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        return mapper;
    }

    /** Jackson's annotations, minus any-setters and ignoreUnknown. */
    private static final class NoUnknownPropertiesIntrospector extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean hasAnySetter(Annotated annotated) {
            return null;
        }

        @Override
        public boolean hasAnySetterAnnotation(AnnotatedMethod method) {
            return false;
        }

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
            return super.findPropertyIgnoralByName(config, annotated).withoutIgnoreUnknown();
        }
    }
}

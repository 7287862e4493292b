package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's {@code keda.sh/v1alpha1 ScaledObject}, modelled here because neither fabric8 nor KEDA publishes a
 * Java model on Maven Central. The fields are those of KEDA 2.x's documented ScaledObject spec
 * (keda.sh/docs, "Scaling Deployments": scaleTargetRef, pollingInterval, cooldownPeriod,
 * initialCooldownPeriod, idleReplicaCount, minReplicaCount, maxReplicaCount, fallback, triggers), minus
 * {@code advanced}, which batchscope does not use: a manifest that uses it fails here, to be modelled then.
 * Parsed with unknown fields failing, like the other manifests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KedaScaledObject(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
                       Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount,
                       Integer maxReplicaCount, Fallback fallback, List<Trigger> triggers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Fallback(Integer failureThreshold, Integer replicas) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuthenticationRef(String name, String kind) {
    }

    /** One scaler; {@code metadata} is a string map in KEDA's CRD, each scaler documents its keys. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Trigger(String type, String name, Map<String, String> metadata,
                          AuthenticationRef authenticationRef, String metricType, Boolean useCachedMetrics) {
    }

    /** The parameters of KEDA's Apache Kafka scaler (keda.sh/docs/2.x/scalers/apache-kafka). */
    public static final Set<String> KAFKA_TRIGGER_KEYS = Set.of(
            "bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold",
            "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset", "excludePersistentLag",
            "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions", "partitionLimitation", "sasl",
            "tls", "unsafeSsl", "version");

    /** What KEDA itself would refuse or ignore: the checks its admission webhook and scaler make. */
    public List<String> problems() {
        List<String> problems = new java.util.ArrayList<>();
        if (!"keda.sh/v1alpha1".equals(apiVersion) || !"ScaledObject".equals(kind)) {
            problems.add("not a keda.sh/v1alpha1 ScaledObject: " + apiVersion + " " + kind);
        }
        if (spec == null || spec.scaleTargetRef() == null || spec.scaleTargetRef().name() == null) {
            problems.add("spec.scaleTargetRef.name is required");
            return problems;
        }
        if (spec.triggers() == null || spec.triggers().isEmpty()) {
            problems.add("spec.triggers needs at least one trigger");
            return problems;
        }
        if (spec.minReplicaCount() != null && spec.maxReplicaCount() != null
                && spec.minReplicaCount() > spec.maxReplicaCount()) {
            problems.add("minReplicaCount " + spec.minReplicaCount() + " > maxReplicaCount " + spec.maxReplicaCount());
        }
        for (Trigger trigger : spec.triggers()) {
            if (trigger.type() == null || trigger.metadata() == null) {
                problems.add("a trigger needs type and metadata");
                continue;
            }
            if (trigger.type().equals("kafka")) {
                for (String key : trigger.metadata().keySet()) {
                    if (!KAFKA_TRIGGER_KEYS.contains(key)) {
                        problems.add("the kafka scaler has no parameter " + key + "; known: " + KAFKA_TRIGGER_KEYS);
                    }
                }
                for (String required : List.of("bootstrapServers", "consumerGroup", "topic")) {
                    if (!trigger.metadata().containsKey(required)) {
                        problems.add("the kafka trigger needs " + required);
                    }
                }
                String policy = trigger.metadata().getOrDefault("offsetResetPolicy", "latest");
                if (!policy.equals("earliest") && !policy.equals("latest")) {
                    problems.add("offsetResetPolicy must be earliest or latest, not " + policy);
                }
                for (String number : List.of("lagThreshold", "activationLagThreshold")) {
                    String value = trigger.metadata().get(number);
                    if (value != null && !value.matches("\\d+")) {
                        problems.add(number + " must be a whole number, not " + value);
                    }
                }
            }
        }
        return problems;
    }
}

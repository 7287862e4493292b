package dev.batchscope.infra.k8s;

import dev.batchscope.events.kafka.TopicCatalog;
import dev.batchscope.events.kafka.TopicDefinition;
import dev.batchscope.infra.support.ServiceModule;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka locked down: one TLS listener with SCRAM-SHA-512 and ACLs; a KafkaUser per service whose ACLs are exactly
 * what its application.properties uses (derived here from its channels, so a new channel without an ACL, or an ACL
 * nothing uses, fails); each Deployment logs in with its own user's Secret and trusts the cluster CA; KEDA's lag
 * scaler logs in as the trainers.
 */
class KafkaSecurityTest {
    private static final String INCOMING = "mp.messaging.incoming.";
    private static final String OUTGOING = "mp.messaging.outgoing.";

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void theOnlyListenerIsTlsWithScramAndAclsAreEnforced(String overlay) {
        Kafka kafka = RenderedOverlay.of(overlay).all(Kafka.class).get(0);
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        assertEquals(1, listeners.size(), "a second listener could be one without authentication");
        GenericKafkaListener listener = listeners.get(0);
        assertTrue(listener.isTls(), "SCRAM without TLS sends every event in clear text");
        assertInstanceOf(KafkaListenerAuthenticationScramSha512.class, listener.getAuth());
        assertNotNull(kafka.getSpec().getKafka().getAuthorization(), "without an authorizer the ACLs do nothing");
        assertEquals("simple", kafka.getSpec().getKafka().getAuthorization().getType());
        assertNotNull(kafka.getSpec().getEntityOperator().getUserOperator(), "the User Operator makes the KafkaUsers' Secrets");
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void eachServiceIsAKafkaUserAllowedExactlyTheTopicsAndGroupsItUses(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        String cluster = rendered.all(Kafka.class).get(0).getMetadata().getName();
        assertEquals(ServiceModule.NAMES.size(), rendered.all(KafkaUser.class).size());
        for (ServiceModule module : ServiceModule.all()) {
            KafkaUser user = rendered.get(KafkaUser.class, module.name());
            assertEquals(cluster, user.getMetadata().getLabels().get("strimzi.io/cluster"), module.name());
            assertInstanceOf(KafkaUserScramSha512ClientAuthentication.class, user.getSpec().getAuthentication());
            KafkaUserAuthorizationSimple authorization =
                    assertInstanceOf(KafkaUserAuthorizationSimple.class, user.getSpec().getAuthorization());
            Set<String> granted = new TreeSet<>();
            for (AclRule rule : authorization.getAcls()) {
                assertTrue(rule.getType() == null || rule.getType().toValue().equals("allow"), "deny rules are not used");
                for (AclOperation operation : rule.getOperations()) {
                    granted.add(describe(rule, operation));
                }
            }
            assertEquals(required(module), granted, module.name() + ": the ACLs differ from what the service uses");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void eachDeploymentLogsInWithItsOwnUserAndTrustsTheClusterCa(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        ConfigMap config = rendered.all(ConfigMap.class).stream()
                .filter(c -> c.getData().containsKey("KAFKA_BOOTSTRAP_SERVERS")).findFirst().orElseThrow();
        assertEquals("SASL_SSL", config.getData().get("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", config.getData().get("KAFKA_SASL_MECHANISM"));
        assertEquals("PEM", config.getData().get("KAFKA_SSL_TRUSTSTORE_TYPE"), "Strimzi's ca.crt is PEM");
        String truststore = config.getData().get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        String caSecret = kafka.getMetadata().getName() + "-cluster-ca-cert";

        for (ServiceModule module : ServiceModule.all()) {
            PodSpec pod = rendered.get(Deployment.class, module.name()).getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().get(0);
            EnvVar jaas = container.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"))
                    .findFirst().orElseThrow(() -> new AssertionError(module.name() + " has no KAFKA_SASL_JAAS_CONFIG"));
            SecretKeySelector secret = jaas.getValueFrom().getSecretKeyRef();
            assertEquals(module.name(), secret.getName(), module.name() + " logs in as another service's KafkaUser");
            assertTrue(rendered.find(KafkaUser.class, secret.getName()).isPresent(), "no KafkaUser " + secret.getName());
            assertEquals("sasl.jaas.config", secret.getKey());

            boolean trusted = false;
            for (VolumeMount mount : container.getVolumeMounts()) {
                Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
                if (volume.getSecret() != null && volume.getSecret().getSecretName().equals(caSecret)) {
                    trusted |= volume.getSecret().getItems().stream().anyMatch(item -> item.getKey().equals("ca.crt")
                            && (mount.getMountPath() + "/" + item.getPath()).equals(truststore));
                }
            }
            assertTrue(trusted, module.name() + " does not mount " + caSecret + "'s ca.crt at " + truststore);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void kedasLagScalerLogsInAsTheTrainers(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Kafka kafka = rendered.all(Kafka.class).get(0);
        KedaScaledObject.Trigger trigger = rendered.all(KedaScaledObject.class).get(0).spec().triggers().get(0);
        assertNotNull(trigger.authenticationRef(), "the lag scaler has no credentials");
        KedaTriggerAuthentication auth = rendered.get(KedaTriggerAuthentication.class, trigger.authenticationRef().name());

        Map<String, String> parameters = new TreeMap<>();
        for (KedaTriggerAuthentication.TargetRef ref : auth.spec().configMapTargetRef()) {
            String value = rendered.get(ConfigMap.class, ref.name()).getData().get(ref.key());
            assertNotNull(value, "ConfigMap " + ref.name() + " has no " + ref.key());
            parameters.put(ref.parameter(), value);
        }
        for (KedaTriggerAuthentication.TargetRef ref : auth.spec().secretTargetRef()) {
            parameters.put(ref.parameter(), "secret " + ref.name() + "/" + ref.key());
        }
        KafkaUser trainer = rendered.get(KafkaUser.class, "trainer-service");
        assertEquals(Map.of(
                "username", trainer.getMetadata().getName(),
                "password", "secret " + trainer.getMetadata().getName() + "/password",
                "sasl", "scram_sha512",
                "tls", "enable",
                "ca", "secret " + kafka.getMetadata().getName() + "-cluster-ca-cert/ca.crt"), parameters);
        assertFalse(trigger.metadata().containsKey("sasl") || trigger.metadata().containsKey("tls"),
                "sasl and tls are set in one place, the TriggerAuthentication");
        // the group and topic whose lag it reads are among the trainer's ACLs
        Set<String> required = required(ServiceModule.named("trainer-service"));
        assertTrue(required.contains("group:" + trigger.metadata().get("consumerGroup") + ":literal:Read"), required.toString());
    }

    /**
     * The ACLs a service needs, from its application.properties: Read on each incoming channel's topic and group
     * (a group id that ends in ${quarkus.uuid} is a prefix) and on any other {@code *.group.id}, Write on each outgoing channel's topic and each
     * dead-letter topic, and Describe and DescribeConfigs on every topic of the catalog (TopicAdmin lists them at
     * start-up and reads the DLQ's max.message.bytes).
     */
    static Set<String> required(ServiceModule module) {
        Set<String> acls = new TreeSet<>();
        String prefix = commonPrefix();
        acls.add("topic:" + prefix + ":prefix:Describe");
        acls.add("topic:" + prefix + ":prefix:DescribeConfigs");
        for (String key : module.propertyKeys()) {
            if (key.startsWith(INCOMING) && key.endsWith(".topic") && !key.endsWith(".dead-letter-queue.topic")) {
                String channel = key.substring(INCOMING.length(), key.length() - ".topic".length());
                acls.add("topic:" + module.property(key).orElseThrow() + ":literal:Read");
                String group = module.property(INCOMING + channel + ".group.id").orElseThrow(
                        () -> new AssertionError(module.name() + " channel " + channel + " has no group.id"));
                int uuid = group.indexOf("${quarkus.uuid}");
                acls.add(uuid >= 0 ? "group:" + group.substring(0, uuid) + ":prefix:Read" : "group:" + group + ":literal:Read");
            } else if (!key.startsWith(INCOMING) && !key.startsWith(OUTGOING) && key.endsWith(".group.id")) {
                // a group a plain client of the service joins (the metrics-service's export group)
                acls.add("group:" + module.property(key).orElseThrow() + ":literal:Read");
            } else if (key.startsWith(INCOMING) && key.endsWith(".dead-letter-queue.topic")) {
                acls.add("topic:" + module.property(key).orElseThrow() + ":literal:Write");
            } else if (key.startsWith(OUTGOING) && key.endsWith(".topic")) {
                acls.add("topic:" + module.property(key).orElseThrow() + ":literal:Write");
            }
        }
        return acls;
    }

    /** "batchscope.": what every topic of the catalog starts with. */
    private static String commonPrefix() {
        List<String> names = TopicCatalog.ALL.stream().map(TopicDefinition::name).toList();
        String prefix = names.get(0).substring(0, names.get(0).indexOf('.') + 1);
        assertTrue(names.stream().allMatch(n -> n.startsWith(prefix)), names + " do not share " + prefix);
        return prefix;
    }

    private static String describe(AclRule rule, AclOperation operation) {
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
            return "topic:" + topic.getName() + ":" + pattern(topic.getPatternType()) + ":" + operation.toValue();
        }
        if (rule.getResource() instanceof AclRuleGroupResource group) {
            return "group:" + group.getName() + ":" + pattern(group.getPatternType()) + ":" + operation.toValue();
        }
        return rule.getResource().getType() + ":" + operation.toValue();
    }

    private static String pattern(AclResourcePatternType type) {
        return type == null ? "literal" : type.toValue();
    }
}

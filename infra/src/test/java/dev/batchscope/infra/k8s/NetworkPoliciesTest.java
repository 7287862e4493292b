package dev.batchscope.infra.k8s;

import dev.batchscope.infra.k8s.NetworkPolicies.Endpoint;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NetworkPolicies of each overlay, with the ones Strimzi writes for its listeners, held against a table of the
 * connections batchscope needs and of connections that must stay refused.
 */
class NetworkPoliciesTest {
    private static final String NS = "batchscope";

    /**
     * "from -> to:port/protocol allow|deny". The services' pods carry their Deployments' labels; Strimzi's pods the
     * labels Strimzi gives them (strimzi.io/cluster, strimzi.io/kind, strimzi.io/name); Prometheus and Grafana are
     * kube-prometheus-stack's in the namespace monitoring, KEDA's operator is in keda, DNS is kube-system's kube-dns.
     */
    private static final String TRAFFIC = """
            client -> scheduler-service:8080/TCP allow      the API
            client -> metrics-service:8082/TCP allow        the live page, series and summary
            prometheus -> scheduler-service:8080/TCP allow  /q/metrics
            prometheus -> trainer-service:8081/TCP allow
            prometheus -> metrics-service:8082/TCP allow
            grafana -> metrics-service:8082/TCP allow       the series API datasource
            scheduler-service -> kafka:9093/TCP allow       the TLS listener
            trainer-service -> kafka:9093/TCP allow
            metrics-service -> kafka:9093/TCP allow
            keda -> kafka:9093/TCP allow                    the trainers' lag scaler
            scheduler-service -> kube-dns:53/UDP allow
            scheduler-service -> kube-dns:53/TCP allow
            trainer-service -> kube-dns:53/UDP allow
            metrics-service -> kube-dns:53/UDP allow
            kafka -> kube-dns:53/UDP allow
            kafka -> kafka:9090/TCP allow                   KRaft controllers
            kafka -> kafka:9091/TCP allow                   replication
            entity-operator -> kafka:9091/TCP allow
            entity-operator -> api-server:443/TCP allow     watches KafkaTopics and KafkaUsers
            client -> trainer-service:8081/TCP deny         trainers serve nothing to clients
            client -> kafka:9093/TCP deny
            prometheus -> kafka:9093/TCP deny
            scheduler-service -> trainer-service:8081/TCP deny
            trainer-service -> scheduler-service:8080/TCP deny
            metrics-service -> scheduler-service:8080/TCP deny
            trainer-service -> metrics-service:8082/TCP deny
            scheduler-service -> kafka:9091/TCP deny        the replication listener is the brokers' own
            trainer-service -> kafka:9090/TCP deny
            scheduler-service -> internet:443/TCP deny
            trainer-service -> internet:443/TCP deny
            metrics-service -> internet:80/TCP deny
            kafka -> internet:443/TCP deny
            trainer-service -> prometheus:9090/TCP deny
            """;

    /** The production overlay's Kafka exporter. */
    private static final String PRODUCTION_TRAFFIC = """
            prometheus -> kafka-exporter:9404/TCP allow
            kafka-exporter -> kafka:9091/TCP allow
            client -> kafka-exporter:9404/TCP deny
            kafka-exporter -> internet:443/TCP deny
            """;

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void theServicesGetTheTrafficTheyNeedAndNoMore(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        List<NetworkPolicy> policies = new ArrayList<>(rendered.all(NetworkPolicy.class));
        Kafka kafka = rendered.all(Kafka.class).get(0);
        policies.add(strimziListenerPolicy(kafka));
        NetworkPolicies model = new NetworkPolicies(NS, policies);
        Map<String, Endpoint> endpoints = endpoints(rendered, kafka.getMetadata().getName());

        String table = overlay.equals("production") ? TRAFFIC + PRODUCTION_TRAFFIC : TRAFFIC;
        List<String> wrong = new ArrayList<>();
        for (String line : table.strip().lines().toList()) {
            String[] words = line.trim().split("\\s+");
            String[] target = words[2].split("[:/]");
            Endpoint from = endpoint(endpoints, words[0]);
            Endpoint to = endpoint(endpoints, target[0]);
            boolean expected = words[3].equals("allow");
            if (model.allows(from, to, target[2], Integer.parseInt(target[1])) != expected) {
                wrong.add(words[0] + " -> " + words[2] + " should be " + (expected ? "allowed" : "refused"));
            }
        }
        assertEquals(List.of(), wrong, overlay);
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void everythingNotAllowedIsDenied(String overlay) {
        List<NetworkPolicy> policies = RenderedOverlay.of(overlay).all(NetworkPolicy.class);
        // the default deny: every pod of the namespace, both directions, no rules
        assertTrue(policies.stream().anyMatch(p -> isEmpty(p.getSpec().getPodSelector().getMatchLabels())
                        && isEmpty(p.getSpec().getPodSelector().getMatchExpressions())
                        && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                        && isEmpty(p.getSpec().getIngress()) && isEmpty(p.getSpec().getEgress())),
                "no default-deny policy");
    }

    private static boolean isEmpty(Object collection) {
        return collection == null || (collection instanceof java.util.Collection<?> c && c.isEmpty())
                || (collection instanceof Map<?, ?> m && m.isEmpty());
    }

    /**
     * What Strimzi writes for the brokers (with STRIMZI_NETWORK_POLICY_GENERATION, its default): each listener's
     * port open to its networkPolicyPeers (to everyone without them), and the controller and replication ports to
     * the cluster's own pods (Strimzi names the exact pods: brokers, entity operator, exporter, cruise control).
     */
    private static NetworkPolicy strimziListenerPolicy(Kafka kafka) {
        String cluster = kafka.getMetadata().getName();
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        for (GenericKafkaListener listener : kafka.getSpec().getKafka().getListeners()) {
            rules.add(new NetworkPolicyIngressRule(listener.getNetworkPolicyPeers(), List.of(port(listener.getPort()))));
        }
        rules.add(new NetworkPolicyIngressRule(List.of(new NetworkPolicyPeerBuilder().withPodSelector(
                new LabelSelectorBuilder().withMatchLabels(Map.of("strimzi.io/cluster", cluster)).build()).build()),
                List.of(port(9090), port(9091))));
        return new NetworkPolicyBuilder().withNewMetadata().withName(cluster + "-network-policy-kafka").endMetadata()
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(
                        Map.of("strimzi.io/cluster", cluster, "strimzi.io/name", cluster + "-kafka")).build())
                .withPolicyTypes("Ingress").withIngress(rules)
                .endSpec().build();
    }

    private static NetworkPolicyPort port(int number) {
        NetworkPolicyPort port = new NetworkPolicyPort();
        port.setProtocol("TCP");
        port.setPort(new IntOrString(number));
        return port;
    }

    private static Map<String, Endpoint> endpoints(RenderedOverlay rendered, String cluster) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            endpoints.put(name, Endpoint.pod(name, NS, deployment.getSpec().getTemplate().getMetadata().getLabels()));
        }
        endpoints.put("kafka", Endpoint.pod("kafka", NS, Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", cluster + "-kafka", "strimzi.io/pool-name", "dual-role",
                "strimzi.io/broker-role", "true", "strimzi.io/controller-role", "true")));
        endpoints.put("entity-operator", Endpoint.pod("entity-operator", NS, Map.of("strimzi.io/cluster", cluster,
                "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-entity-operator")));
        endpoints.put("kafka-exporter", Endpoint.pod("kafka-exporter", NS, Map.of("strimzi.io/cluster", cluster,
                "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka-exporter")));
        endpoints.put("prometheus", Endpoint.pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus")));
        endpoints.put("grafana", Endpoint.pod("grafana", "monitoring", Map.of("app.kubernetes.io/name", "grafana")));
        endpoints.put("keda", Endpoint.pod("keda", "keda", Map.of("app", "keda-operator")));
        endpoints.put("kube-dns", Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns")));
        endpoints.put("client", Endpoint.pod("client", "default", Map.of("app", "client")));
        endpoints.put("internet", Endpoint.outside("internet"));
        endpoints.put("api-server", Endpoint.outside("api-server"));
        return endpoints;
    }

    private static Endpoint endpoint(Map<String, Endpoint> endpoints, String name) {
        Endpoint endpoint = endpoints.get(name);
        if (endpoint == null) {
            throw new AssertionError("the traffic table names " + name + ", known: " + endpoints.keySet());
        }
        return endpoint;
    }
}

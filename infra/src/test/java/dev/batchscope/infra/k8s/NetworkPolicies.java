package dev.batchscope.infra.k8s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubernetes NetworkPolicy semantics (kubernetes.io/docs/concepts/services-networking/network-policies), enough to
 * say whether a connection is allowed: a pod that no policy of a type selects is open in that direction; one that
 * some policy selects takes exactly the union of their rules; a connection needs the sender's egress and the
 * receiver's ingress. Ports are numbers (a named port fails); ipBlock peers match pods outside the cluster only.
 */
public final class NetworkPolicies {
    /** A pod (namespace, its labels and its pod labels) or, with namespace null, an address outside the cluster. */
    public record Endpoint(String name, String namespace, Map<String, String> labels) {
        public static Endpoint pod(String name, String namespace, Map<String, String> labels) {
            return new Endpoint(name, namespace, labels);
        }

        public static Endpoint outside(String name) {
            return new Endpoint(name, null, Map.of());
        }

        boolean inCluster() {
            return namespace != null;
        }

        Map<String, String> namespaceLabels() {
            return Map.of("kubernetes.io/metadata.name", namespace);
        }
    }

    private final String namespace;
    private final List<NetworkPolicy> policies;

    /** The policies of one namespace; other namespaces are taken to have none. */
    public NetworkPolicies(String namespace, List<NetworkPolicy> policies) {
        this.namespace = namespace;
        this.policies = List.copyOf(policies);
    }

    public boolean allows(Endpoint from, Endpoint to, String protocol, int port) {
        return egressAllows(from, to, protocol, port) && ingressAllows(to, from, protocol, port);
    }

    private boolean egressAllows(Endpoint from, Endpoint to, String protocol, int port) {
        if (!from.inCluster() || !from.namespace().equals(namespace)) {
            return true;
        }
        List<NetworkPolicy> selecting = selecting(from, "Egress");
        return selecting.isEmpty() || selecting.stream().flatMap(p -> Optional.ofNullable(p.getSpec().getEgress())
                        .orElse(List.of()).stream())
                .anyMatch(rule -> ports(rule.getPorts(), protocol, port) && peers(rule.getTo(), to));
    }

    private boolean ingressAllows(Endpoint to, Endpoint from, String protocol, int port) {
        if (!to.inCluster() || !to.namespace().equals(namespace)) {
            return true;
        }
        List<NetworkPolicy> selecting = selecting(to, "Ingress");
        return selecting.isEmpty() || selecting.stream().flatMap(p -> Optional.ofNullable(p.getSpec().getIngress())
                        .orElse(List.of()).stream())
                .anyMatch(rule -> ports(rule.getPorts(), protocol, port) && peers(rule.getFrom(), from));
    }

    private List<NetworkPolicy> selecting(Endpoint pod, String type) {
        return policies.stream().filter(p -> matches(p.getSpec().getPodSelector(), pod.labels()))
                .filter(p -> policyTypes(p).contains(type)).toList();
    }

    /** policyTypes, or what the API server defaults it to: Ingress, plus Egress when there are egress rules. */
    private static List<String> policyTypes(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        if (types != null && !types.isEmpty()) {
            return types;
        }
        return policy.getSpec().getEgress() != null && !policy.getSpec().getEgress().isEmpty()
                ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean ports(List<NetworkPolicyPort> ports, String protocol, int port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort candidate : ports) {
            if (candidate.getPort() != null && candidate.getPort().getStrVal() != null) {
                throw new AssertionError("named port " + candidate.getPort().getStrVal() + ": use the number");
            }
            String candidateProtocol = Optional.ofNullable(candidate.getProtocol()).orElse("TCP");
            boolean portMatches = candidate.getPort() == null || (candidate.getEndPort() == null
                    ? candidate.getPort().getIntVal() == port
                    : candidate.getPort().getIntVal() <= port && port <= candidate.getEndPort());
            if (candidateProtocol.equals(protocol) && portMatches) {
                return true;
            }
        }
        return false;
    }

    private boolean peers(List<NetworkPolicyPeer> peers, Endpoint endpoint) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                if (!endpoint.inCluster()) {
                    return true;
                }
                continue;
            }
            if (!endpoint.inCluster()) {
                continue;
            }
            boolean namespaceMatches = peer.getNamespaceSelector() == null
                    ? endpoint.namespace().equals(namespace)
                    : matches(peer.getNamespaceSelector(), endpoint.namespaceLabels());
            boolean podMatches = peer.getPodSelector() == null || matches(peer.getPodSelector(), endpoint.labels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    /** A label selector; an empty one selects everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null
                && !selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        for (LabelSelectorRequirement requirement : Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of())) {
            String value = labels.get(requirement.getKey());
            boolean ok = switch (requirement.getOperator()) {
                case "In" -> value != null && requirement.getValues().contains(value);
                case "NotIn" -> value == null || !requirement.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator " + requirement.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

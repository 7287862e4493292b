package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.infra.support.ServiceModule;
import dev.batchscope.infra.support.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every pod of every overlay meets Pod Security "restricted" and batchscope's rules on top ({@link RestrictedPods}),
 * runs under a ServiceAccount of its own without a token, has a disruption budget, and takes its secrets from
 * Secrets. The rules themselves are checked against fixtures that each break one of them.
 */
class PodSecurityTest {
    private static final String VIOLATION = "test.batchscope.dev/violation";
    /** Names of variables that hold a secret: their value must come from a Secret, never stand in the manifest. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(TOKEN|PASSWORD|SECRET|JAAS|CREDENTIAL).*");

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void theNamespaceEnforcesRestrictedAndEveryPodMeetsIt(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Map<String, String> labels = rendered.get(Namespace.class, "batchscope").getMetadata().getLabels();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
        List<String> violations = new ArrayList<>();
        List<Deployment> deployments = rendered.all(Deployment.class);
        assertEquals(ServiceModule.NAMES.size(), deployments.size());
        for (Deployment deployment : deployments) {
            violations.addAll(RestrictedPods.violations(deployment.getMetadata().getName(),
                    deployment.getSpec().getTemplate().getSpec()));
        }
        assertEquals(List.of(), violations, overlay);
    }

    @Test
    void eachFixtureBreaksExactlyTheRuleItNames() throws IOException {
        List<JsonNode> fixtures;
        try (InputStream in = PodSecurityTest.class.getResourceAsStream("restricted-fixtures.yaml")) {
            assertNotNull(in, "restricted-fixtures.yaml is missing");
            fixtures = Yaml.readAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(fixtures.size() > 10, "the fixtures hold one compliant pod and one per rule");
        for (JsonNode fixture : fixtures) {
            Deployment deployment = StrictManifests.parse(fixture).as(Deployment.class);
            String name = deployment.getMetadata().getName();
            String expected = deployment.getMetadata().getAnnotations().get(VIOLATION);
            List<String> violations = RestrictedPods.violations(name, deployment.getSpec().getTemplate().getSpec());
            if (expected.isEmpty()) {
                assertEquals(List.of(), violations, name);
            } else {
                assertEquals(1, violations.size(), name + ": " + violations);
                assertTrue(violations.get(0).contains(expected), name + ": " + violations.get(0) + " does not say " + expected);
            }
        }
    }

    /** JavaCPP unpacks nd4j's natives to its cache dir; under the read-only root it must be an emptyDir. */
    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void theTrainersNativeLibraryCacheIsAWritableEmptyDir(String overlay) {
        PodSpec pod = RenderedOverlay.of(overlay).get(Deployment.class, "trainer-service").getSpec().getTemplate().getSpec();
        Container trainer = pod.getContainers().get(0);
        String javaOpts = env(trainer, "JAVA_OPTS").getValue();
        Matcher cacheDir = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.cachedir=(\\S+)").matcher(javaOpts);
        assertTrue(cacheDir.find(), "JAVA_OPTS sets no JavaCPP cache dir: " + javaOpts);
        assertTrue(RestrictedPods.emptyDirAt(pod, trainer, cacheDir.group(1)).isPresent(),
                cacheDir.group(1) + " is not an emptyDir mount of the trainer");
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void eachServiceRunsUnderItsOwnServiceAccountWithoutAToken(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (String service : ServiceModule.NAMES) {
            PodSpec pod = rendered.get(Deployment.class, service).getSpec().getTemplate().getSpec();
            assertEquals(service, pod.getServiceAccountName(), service + " runs under another ServiceAccount");
            ServiceAccount account = rendered.get(ServiceAccount.class, service);
            assertEquals(Boolean.FALSE, account.getAutomountServiceAccountToken(), service + "'s ServiceAccount mounts its token");
            assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), service + "'s pods mount a token");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void eachDeploymentHasADisruptionBudgetThatLetsADrainProceed(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            List<PodDisruptionBudget> budgets = rendered.all(PodDisruptionBudget.class).stream()
                    .filter(b -> podLabels.entrySet().containsAll(b.getSpec().getSelector().getMatchLabels().entrySet()))
                    .toList();
            assertEquals(1, budgets.size(), name + " should have exactly one PodDisruptionBudget, has " + budgets.size());
            PodDisruptionBudget budget = budgets.get(0);
            List<?> expressions = budget.getSpec().getSelector().getMatchExpressions();
            assertTrue(expressions == null || expressions.isEmpty(), name + ": select by labels only");
            // with one replica, minAvailable: 1 (or maxUnavailable: 0) would block every node drain
            assertNull(budget.getSpec().getMinAvailable(), name + ": use maxUnavailable");
            assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal(), name + ": one pod at a time");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.batchscope.infra.k8s.RenderedOverlay#names")
    void theApiTokenAndEverySecretComeFromSecretsNeverFromALiteral(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        EnvVar token = env(rendered.get(Deployment.class, "scheduler-service").getSpec().getTemplate().getSpec()
                .getContainers().get(0), "BATCHSCOPE_API_TOKEN");
        assertNull(token.getValue(), "BATCHSCOPE_API_TOKEN is a literal");
        SecretKeySelector secret = token.getValueFrom().getSecretKeyRef();
        assertNotNull(secret, "BATCHSCOPE_API_TOKEN does not come from a Secret");
        assertEquals("batchscope-api-token", secret.getName(), "the Secret README and docs/security.md tell to create");
        assertEquals("token", secret.getKey());
        assertFalse(Boolean.TRUE.equals(secret.getOptional()), "without the Secret the API would be open");

        List<String> literals = new ArrayList<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                for (EnvVar variable : container.getEnv()) {
                    if (SECRET_NAME.matcher(variable.getName()).matches()
                            && (variable.getValueFrom() == null || variable.getValueFrom().getSecretKeyRef() == null)) {
                        literals.add(deployment.getMetadata().getName() + " " + variable.getName());
                    }
                }
            }
        }
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            configMap.getData().keySet().stream()
                    .filter(key -> SECRET_NAME.matcher(key.toUpperCase(java.util.Locale.ROOT).replace('-', '_')).matches())
                    .forEach(key -> literals.add("ConfigMap " + configMap.getMetadata().getName() + " " + key));
        }
        assertEquals(List.of(), literals, "secrets outside Secrets");
        assertFalse(rendered.yaml().contains("kind: Secret\n"), "the overlay ships a Secret: its value would be in git");
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }
}

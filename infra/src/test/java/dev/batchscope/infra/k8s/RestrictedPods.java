package dev.batchscope.infra.k8s;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a pod template must be to run in batchscope's namespace: Kubernetes' Pod Security Standard "restricted"
 * (kubernetes.io/docs/concepts/security/pod-security-standards), which the namespace enforces, plus batchscope's
 * own rules on top of it: a numeric, non-root runAsUser, a read-only root filesystem with /tmp on an emptyDir, and no
 * service account token. Each violation names the pod, the container and the field, as an admission error would.
 */
public final class RestrictedPods {
    /** The volume types "restricted" allows. */
    private static final Set<String> ALLOWED_VOLUMES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static final Set<String> SECCOMP_TYPES = Set.of("RuntimeDefault", "Localhost");

    private RestrictedPods() {
    }

    /** Every rule the pod template breaks; empty when it meets them all. */
    public static List<String> violations(String pod, PodSpec spec) {
        List<String> violations = new ArrayList<>();
        PodSecurityContext podContext = Optional.ofNullable(spec.getSecurityContext()).orElseGet(PodSecurityContext::new);
        if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
                || Boolean.TRUE.equals(spec.getHostIPC())) {
            violations.add(pod + ": shares a host namespace (hostNetwork, hostPID or hostIPC)");
        }
        if (!Boolean.FALSE.equals(spec.getAutomountServiceAccountToken())) {
            violations.add(pod + ": automountServiceAccountToken is not false");
        }
        for (Volume volume : Optional.ofNullable(spec.getVolumes()).orElse(List.of())) {
            String type = volumeType(volume);
            if (!ALLOWED_VOLUMES.contains(type)) {
                violations.add(pod + ": volume " + volume.getName() + " is a " + type);
            }
        }
        List<Container> containers = Stream.concat(
                Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream(),
                Optional.ofNullable(spec.getContainers()).orElse(List.of()).stream()).toList();
        for (Container container : containers) {
            String where = pod + " container " + container.getName();
            SecurityContext context = Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
            // a container's setting wins over the pod's, as the kubelet applies them
            Boolean nonRoot = effective(context, podContext, SecurityContext::getRunAsNonRoot, PodSecurityContext::getRunAsNonRoot);
            if (!Boolean.TRUE.equals(nonRoot)) {
                violations.add(where + ": runAsNonRoot is not true");
            }
            Long user = effective(context, podContext, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
            if (user == null) {
                violations.add(where + ": no numeric runAsUser");
            } else if (user == 0) {
                violations.add(where + ": runAsUser is 0 (root)");
            }
            SeccompProfile seccomp = effective(context, podContext, SecurityContext::getSeccompProfile,
                    PodSecurityContext::getSeccompProfile);
            if (seccomp == null || !SECCOMP_TYPES.contains(seccomp.getType())) {
                violations.add(where + ": seccompProfile.type is not RuntimeDefault or Localhost");
            }
            if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
                violations.add(where + ": allowPrivilegeEscalation is not false");
            }
            if (Boolean.TRUE.equals(context.getPrivileged())) {
                violations.add(where + ": privileged");
            }
            Capabilities capabilities = Optional.ofNullable(context.getCapabilities()).orElseGet(Capabilities::new);
            if (capabilities.getDrop() == null || !capabilities.getDrop().contains("ALL")) {
                violations.add(where + ": capabilities.drop does not hold ALL");
            }
            if (capabilities.getAdd() != null && capabilities.getAdd().stream().anyMatch(c -> !c.equals("NET_BIND_SERVICE"))) {
                violations.add(where + ": capabilities.add " + capabilities.getAdd());
            }
            if (!Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
                violations.add(where + ": readOnlyRootFilesystem is not true");
            }
            if (emptyDirAt(spec, container, "/tmp").isEmpty()) {
                violations.add(where + ": /tmp is not an emptyDir (the root filesystem is read-only)");
            }
        }
        return violations;
    }

    /** The emptyDir volume the container mounts at exactly this path, if any. */
    public static Optional<Volume> emptyDirAt(PodSpec spec, Container container, String path) {
        for (VolumeMount mount : Optional.ofNullable(container.getVolumeMounts()).orElse(List.of())) {
            if (mount.getMountPath().equals(path)) {
                return Optional.ofNullable(spec.getVolumes()).orElse(List.of()).stream()
                        .filter(v -> v.getName().equals(mount.getName()) && v.getEmptyDir() != null).findFirst();
            }
        }
        return Optional.empty();
    }

    private static <T> T effective(SecurityContext container, PodSecurityContext pod,
                                   Function<SecurityContext, T> containerField, Function<PodSecurityContext, T> podField) {
        return Optional.ofNullable(containerField.apply(container)).orElseGet(() -> podField.apply(pod));
    }

    private static String volumeType(Volume volume) {
        // the one source a volume sets: the first non-null of the model's source fields
        List<Object[]> sources = List.of(
                new Object[]{"configMap", volume.getConfigMap()}, new Object[]{"csi", volume.getCsi()},
                new Object[]{"downwardAPI", volume.getDownwardAPI()}, new Object[]{"emptyDir", volume.getEmptyDir()},
                new Object[]{"ephemeral", volume.getEphemeral()},
                new Object[]{"persistentVolumeClaim", volume.getPersistentVolumeClaim()},
                new Object[]{"projected", volume.getProjected()}, new Object[]{"secret", volume.getSecret()},
                new Object[]{"hostPath", volume.getHostPath()}, new Object[]{"nfs", volume.getNfs()});
        return sources.stream().filter(s -> Objects.nonNull(s[1])).map(s -> (String) s[0]).findFirst()
                .orElse("volume of another type");
    }
}

package dev.batchscope.infra.k8s;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;

/**
 * KEDA's {@code keda.sh/v1alpha1 TriggerAuthentication}, modelled here for the reason {@link KedaScaledObject} is.
 * Only the sources batchscope uses are fields (keda.sh/docs, "Authentication": secretTargetRef, configMapTargetRef
 * from KEDA 2.13, env); a manifest that uses another (podIdentity, a vault) fails to parse, to be modelled then.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KedaTriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(List<TargetRef> secretTargetRef, List<TargetRef> configMapTargetRef, List<EnvRef> env) {
    }

    /** One trigger parameter read from a key of a Secret or ConfigMap in the trigger's namespace. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetRef(String parameter, String name, String key) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvRef(String parameter, String name, String containerName) {
    }
}

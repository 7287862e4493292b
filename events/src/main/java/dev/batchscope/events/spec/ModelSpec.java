package dev.batchscope.events.spec;

import java.util.List;

/**
 * The network.
 *
 * @param type       the architecture
 * @param hidden     hidden layer widths of an mlp, in order
 * @param activation hidden-layer activation
 * @param weightInit weight initialisation
 */
public record ModelSpec(ModelType type, List<Integer> hidden, Activation activation, WeightInit weightInit) {
    public ModelSpec {
        hidden = hidden == null ? (type == ModelType.MLP ? List.of(256, 128) : List.of()) : List.copyOf(hidden);
        activation = activation == null ? Activation.RELU : activation;
        weightInit = weightInit == null ? WeightInit.XAVIER : weightInit;
    }

    public static ModelSpec of(ModelType type) {
        return new ModelSpec(type, null, null, null);
    }

    /** A short label for dashboards: "mlp-256-128", "logreg". */
    public String label() {
        StringBuilder sb = new StringBuilder(type == null ? "unknown" : type.wire());
        hidden.forEach(width -> sb.append('-').append(width));
        return sb.toString();
    }
}

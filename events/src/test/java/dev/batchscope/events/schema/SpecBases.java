package dev.batchscope.events.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Valid sweep specs in which one field can take any value, so that a test can put a value at a bound and see what the
 * validator says of that field alone: each field gets a spec where it applies (a synthetic dataset for
 * {@code dataset.features}, protocol tuned for {@code learningRate.grid}, ...).
 */
final class SpecBases {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SpecBases() {
    }

    /** A valid spec for {@code path} with {@code value} there ("[]" in the path: a one-item array). */
    static ObjectNode withValue(String path, JsonNode value) {
        ObjectNode spec = baseFor(path);
        if (path.startsWith("budget.")) {
            spec.putObject("budget"); // exactly one budget field
        }
        if (path.startsWith("learningRate.warmup.")) {
            ((ObjectNode) spec.get("learningRate")).putObject("warmup");
        }
        place(spec, List.of(path.split("\\.")), value);
        return spec;
    }

    /** A valid spec for the array at {@code path}, given {@code n} distinct valid items. */
    static ObjectNode withItems(String path, int n) {
        ObjectNode spec = baseFor(path);
        ArrayNode items = F.arrayNode();
        for (int i = 0; i < n; i++) {
            switch (path) {
                case "seeds" -> items.add(i);
                case "batchSizes" -> items.add(i + 1);
                case "learningRate.grid" -> items.add(0.01 * (i + 1));
                default -> items.add(16);
            }
        }
        place(spec, List.of(path.split("\\.")), items);
        return spec;
    }

    /** A valid spec for {@code path} without it. */
    static ObjectNode without(String path) {
        ObjectNode spec = baseFor(path);
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? spec : spec.at("/" + path.substring(0, dot).replace(".", "/"));
        ((ObjectNode) parent).remove(path.substring(dot + 1));
        return spec;
    }

    private static ObjectNode baseFor(String path) {
        ObjectNode spec = fixed();
        if (path.startsWith("dataset.features") || path.startsWith("dataset.classes") || path.startsWith("dataset.noise")) {
            spec.putObject("dataset").put("name", "synthetic-blobs").put("samples", 2048);
        } else if (path.startsWith("dataset.path") || path.startsWith("dataset.labelColumn")) {
            spec.putObject("dataset").put("name", "csv").put("path", "data.csv");
        } else if (path.startsWith("optimizer.")) {
            spec.putObject("optimizer").put("type", "momentum");
        } else if (path.startsWith("model.hidden")) {
            spec.putObject("model").put("type", "cnn"); // the one model that takes any number of hidden layers
        } else if (path.startsWith("learningRate.grid") || path.startsWith("learningRate.search")
                || path.startsWith("pruning")) {
            spec.put("protocol", "tuned");
            ObjectNode rate = spec.putObject("learningRate");
            if (path.startsWith("learningRate.search")) {
                rate.putObject("search").put("min", 1e-9).put("max", 100.0).put("count", 3);
            } else {
                rate.putArray("grid").add(0.1);
            }
            if (path.startsWith("pruning")) {
                spec.putObject("pruning").put("rule", "margin");
            }
        }
        return spec;
    }

    /** The textbook sweep, the fields every spec needs and no more. */
    private static ObjectNode fixed() {
        ObjectNode spec = F.objectNode();
        spec.put("name", "bounds");
        spec.putObject("dataset").put("name", "fashion-mnist");
        spec.putObject("model").put("type", "mlp");
        spec.putArray("batchSizes").add(16).add("full");
        spec.putObject("learningRate").put("base", 0.1);
        spec.putObject("budget").put("epochs", 1);
        spec.put("targetLoss", 0.5);
        return spec;
    }

    private static void place(ObjectNode spec, List<String> path, JsonNode value) {
        ObjectNode node = spec;
        for (int i = 0; i < path.size() - 1; i++) {
            String name = path.get(i);
            JsonNode next = node.get(name);
            node = next instanceof ObjectNode object ? object : node.putObject(name);
        }
        String last = path.get(path.size() - 1);
        if (last.endsWith("[]")) {
            node.putArray(last.substring(0, last.length() - 2)).add(value);
        } else {
            node.set(last, value);
        }
    }
}

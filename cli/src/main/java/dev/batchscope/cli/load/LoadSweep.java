package dev.batchscope.cli.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One sweep of the load: a small MLP on a synthetic dataset (no files to read, the same work on every machine), a run
 * per batch size, a fixed number of steps, so that every run emits exactly {@code steps} iteration events.
 *
 * @param dataset    synthetic-blobs or synthetic-linear
 * @param batchSizes numbers and "full"
 */
public record LoadSweep(String name, String dataset, int samples, List<Integer> hidden, List<String> batchSizes,
                        int steps, long seed) {
    static final int VALIDATE_EVERY = 50;

    public ObjectNode toSpec() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode spec = f.objectNode();
        spec.put("name", name);
        spec.putObject("dataset").put("name", dataset).put("samples", samples);
        boolean regression = dataset.equals(LoadDataset.SYNTHETIC_LINEAR.wire());
        ObjectNode model = spec.putObject("model").put("type", "mlp");
        ArrayNode widths = model.putArray("hidden");
        hidden.forEach(widths::add);
        spec.put("loss", regression ? "mse" : "cross-entropy");
        spec.putObject("optimizer").put("type", "sgd");
        ArrayNode sizes = spec.putArray("batchSizes");
        for (String size : batchSizes) {
            if (size.equals("full")) {
                sizes.add(size);
            } else {
                sizes.add(Integer.parseInt(size));
            }
        }
        spec.putArray("seeds").add(seed);
        spec.putObject("learningRate").put("base", regression ? 0.01 : 0.05);
        spec.putObject("budget").put("steps", steps);
        // validate every 50 steps, not every epoch: a full-batch run's epoch is one step
        spec.putObject("validation").put("everyIterations", VALIDATE_EVERY);
        return spec;
    }
}

package dev.batchscope.cli.reliability;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The drills' sweeps: a small MLP on synthetic blobs (no files, a few milliseconds a step), a fixed number of steps,
 * frequent checkpoints and validations, so that a resumed run has a checkpoint to resume from and several
 * validations to compare.
 */
final class DrillSweep {
    private final ObjectNode spec;

    private DrillSweep(ObjectNode spec) {
        this.spec = spec;
    }

    static DrillSweep blobs(String name, List<Integer> batchSizes, int steps) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode spec = f.objectNode();
        spec.put("name", name);
        spec.putObject("dataset").put("name", "synthetic-blobs").put("samples", 1024).put("features", 16)
                .put("classes", 4);
        spec.putObject("model").put("type", "mlp").putArray("hidden").add(32);
        ArrayNode sizes = spec.putArray("batchSizes");
        batchSizes.forEach(sizes::add);
        spec.putArray("seeds").add(11);
        spec.putObject("learningRate").put("base", 0.05);
        spec.putObject("budget").put("steps", steps);
        spec.putObject("noise").put("every", 10).put("microBatches", 4);
        spec.putObject("validation").put("everyIterations", 50);
        spec.putObject("checkpoint").put("everyIterations", 40).put("everySeconds", 0);
        return new DrillSweep(spec);
    }

    /** Linear regression with the largest learning rate a spec allows (100): the loss overflows within a few steps. */
    static DrillSweep diverging(String name) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode spec = f.objectNode();
        spec.put("name", name);
        spec.putObject("dataset").put("name", "synthetic-linear").put("samples", 512).put("features", 16);
        spec.putObject("model").put("type", "linear");
        spec.put("loss", "mse");
        spec.putArray("batchSizes").add(32);
        spec.putObject("learningRate").put("base", 100.0);
        spec.putObject("budget").put("steps", 200);
        return new DrillSweep(spec);
    }

    /** The same sweep with these seeds: one run per (batch size, seed). */
    DrillSweep withSeeds(List<Integer> seeds) {
        ObjectNode copy = spec.deepCopy();
        ArrayNode list = copy.putArray("seeds");
        seeds.forEach(list::add);
        return new DrillSweep(copy);
    }

    /** The same sweep under another name. */
    DrillSweep named(String name) {
        ObjectNode copy = spec.deepCopy();
        copy.put("name", name);
        return new DrillSweep(copy);
    }

    ObjectNode spec() {
        return spec;
    }
}

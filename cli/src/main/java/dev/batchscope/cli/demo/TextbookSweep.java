package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The textbook batch-size experiment as a sweep spec: the same MLP on the same Fashion-MNIST images for every batch
 * size, the same learning rate (or, for the scaling arm, one scaled linearly with the batch size).
 *
 * @param samples      training images, null for all 60,000
 * @param hidden       hidden layer widths of the MLP
 * @param batchSizes   numbers and "full"
 * @param scaling      "none" or "linear"
 * @param warmupEpochs linear warmup, in epochs (the scaling arm's large learning rates need it); 0 for none
 */
public record TextbookSweep(String name, Integer samples, List<Integer> hidden, List<String> batchSizes, double lr,
                            String scaling, int baseBatchSize, int warmupEpochs, int epochs, double targetLoss,
                            List<Long> seeds, int noiseEvery) {
    /** The dataset every run trains on, as the spec and setup/requirements name it. */
    public static final String DATASET = "fashion-mnist";

    public ObjectNode toSpec() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode spec = f.objectNode();
        spec.put("name", name);
        ObjectNode dataset = spec.putObject("dataset").put("name", DATASET);
        if (samples != null) {
            dataset.put("samples", samples);
        }
        ObjectNode model = spec.putObject("model").put("type", "mlp");
        ArrayNode widths = model.putArray("hidden");
        hidden.forEach(widths::add);
        spec.put("loss", "cross-entropy");
        spec.putObject("optimizer").put("type", "sgd");
        ArrayNode sizes = spec.putArray("batchSizes");
        for (String size : batchSizes) {
            if (size.chars().allMatch(Character::isDigit) && !size.isEmpty()) {
                sizes.add(Integer.parseInt(size));
            } else {
                sizes.add(size);
            }
        }
        ArrayNode seedList = spec.putArray("seeds");
        seeds.forEach(seedList::add);
        ObjectNode rate = spec.putObject("learningRate").put("base", lr).put("scaling", scaling)
                .put("baseBatchSize", baseBatchSize);
        if (warmupEpochs > 0) {
            rate.putObject("warmup").put("epochs", warmupEpochs);
        }
        spec.putObject("budget").put("epochs", epochs);
        spec.put("targetLoss", targetLoss);
        spec.putObject("noise").put("every", noiseEvery);
        return spec;
    }
}

package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One of the demo's sweeps as a sweep spec: the same MLP on the same Fashion-MNIST images for every batch size. The
 * textbook trains one learning rate, the same for every batch size (or, for the scaling arm, one scaled linearly with
 * the batch size); the study ({@code search} set) trains each batch size at several learning rates, protocol tuned,
 * and stops each run at the target (docs/design.md#7-the-batch-size-study).
 *
 * @param samples      training images, null for all 60,000
 * @param hidden       hidden layer widths of the MLP
 * @param batchSizes   numbers and "full"
 * @param scaling      "none" or "linear"
 * @param lr           the learning rate at {@code baseBatchSize} (textbook) or unused (study)
 * @param scaling      "none", "linear" or "sqrt": how the learning rate (or each candidate) follows the batch size
 * @param warmupEpochs linear warmup, in epochs (the scaling arm's large learning rates need it); 0 for none
 * @param search       the study's candidates (protocol tuned); null for the textbook's one learning rate
 */
public record DemoSweep(String name, Integer samples, List<Integer> hidden, List<String> batchSizes, double lr,
                            String scaling, int baseBatchSize, int warmupEpochs, int epochs, double targetLoss,
                            List<Long> seeds, int noiseEvery, Search search) {
    /** The dataset every run trains on, as the spec and setup/requirements name it. */
    public static final String DATASET = "fashion-mnist";

    /** Log-spaced candidates, both ends included, before centring per batch size. */
    public record Search(double min, double max, int count) {
    }

    /** The textbook: one learning rate. */
    public DemoSweep(String name, Integer samples, List<Integer> hidden, List<String> batchSizes, double lr,
                     String scaling, int baseBatchSize, int warmupEpochs, int epochs, double targetLoss,
                     List<Long> seeds, int noiseEvery) {
        this(name, samples, hidden, batchSizes, lr, scaling, baseBatchSize, warmupEpochs, epochs, targetLoss, seeds,
                noiseEvery, null);
    }

    public boolean tuned() {
        return search != null;
    }

    /** How many runs the sweep has. */
    public int runCount() {
        return batchSizes.size() * seeds.size() * (search == null ? 1 : search.count());
    }

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
        ObjectNode rate = spec.putObject("learningRate");
        if (search == null) {
            rate.put("base", lr);
        } else {
            // tuned: stopAtTarget and margin pruning are the protocol's defaults
            spec.put("protocol", "tuned");
            rate.putObject("search").put("min", search.min()).put("max", search.max()).put("count", search.count());
        }
        rate.put("scaling", scaling).put("baseBatchSize", baseBatchSize);
        if (warmupEpochs > 0) {
            rate.putObject("warmup").put("epochs", warmupEpochs);
        }
        spec.putObject("budget").put("epochs", epochs);
        spec.put("targetLoss", targetLoss);
        spec.putObject("noise").put("every", noiseEvery);
        return spec;
    }
}

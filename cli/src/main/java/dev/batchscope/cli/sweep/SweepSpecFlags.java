package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

/**
 * A sweep spec from flags. The flags only assemble the document; events' validator checks it (here, through
 * {@link SpecSource}, and again in the scheduler), so the CLI and the API refuse exactly the same specs with the same
 * field-named messages.
 */
public class SweepSpecFlags {
    static final String DEFAULT_DATASET = "fashion-mnist";
    static final String DEFAULT_MODEL = "mlp";
    static final int DEFAULT_EPOCHS = 3;
    static final double DEFAULT_LR = 0.05;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "B",
            description = "Batch sizes to compare, e.g. 16,32,64,128,256,full (full = the whole training set).")
    List<String> batchSizes;

    @Option(names = "--name", description = "Sweep name: 1-64 of A-Z a-z 0-9 . _ - (default <dataset>-<model>).")
    String name;

    @Option(names = "--dataset", description = "fashion-mnist, cifar-10, synthetic-linear, synthetic-blobs or csv (default "
            + DEFAULT_DATASET + ").", completionCandidates = Datasets.class)
    String dataset;

    @Option(names = "--samples", paramLabel = "N", description = "Use N training examples (a subset of a file dataset, the size of a synthetic one).")
    Integer samples;

    @Option(names = "--model", description = "linear, logreg, mlp or cnn (default " + DEFAULT_MODEL + ").",
            completionCandidates = Models.class)
    String model;

    @Option(names = "--hidden", split = ",", paramLabel = "WIDTH", description = "Hidden layer widths of an mlp, e.g. 256,128.")
    List<Integer> hidden;

    @Option(names = "--loss", description = "cross-entropy, mse or mae (default cross-entropy).")
    String loss;

    @Option(names = "--optimizer", description = "sgd, momentum or adam (default sgd).")
    String optimizer;

    @Option(names = "--epochs", description = "Train for this many epochs (default " + DEFAULT_EPOCHS + " unless --steps or --budget-samples).")
    Integer epochs;

    @Option(names = "--steps", description = "Train for this many optimizer steps instead of epochs.")
    Integer steps;

    @Option(names = "--budget-samples", paramLabel = "N", description = "Train until N examples have been seen instead of epochs.")
    Long budgetSamples;

    @Option(names = "--lr", description = "Base learning rate (default " + DEFAULT_LR + ").")
    Double lr;

    @Option(names = "--lr-scaling", description = "none, linear or sqrt: how the learning rate follows the batch size (default none).",
            completionCandidates = Scalings.class)
    String lrScaling;

    @Option(names = "--base-batch-size", description = "The batch size the base learning rate is meant for (default 32).")
    Integer baseBatchSize;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Repeat each batch size with these seeds (default 1).")
    List<Long> seeds;

    @Option(names = "--target-loss", description = "The loss that counts as reached, for steps-to-target.")
    Double targetLoss;

    @Option(names = "--noise-every", paramLabel = "N", description = "Measure the gradient noise every N iterations (0 = off; default 10).")
    Integer noiseEvery;

    @Option(names = "--protocol", paramLabel = "PROTOCOL", completionCandidates = Protocols.class,
            description = "fixed (one learning rate per batch size, default) or tuned (several candidate learning rates "
                    + "per batch size, each a run: give --lr-grid or --lr-search and --target-loss).")
    String protocol;

    @Option(names = "--lr-grid", split = ",", paramLabel = "RATE",
            description = "With --protocol tuned: the candidate learning rates, e.g. 0.01,0.03,0.1 (1-16 of them).")
    List<Double> lrGrid;

    @Option(names = "--lr-search", paramLabel = "MIN:MAX:COUNT", converter = SearchFlag.Converter.class,
            description = "With --protocol tuned: COUNT (2-16) candidate learning rates log-spaced from MIN to MAX, "
                    + "both included, e.g. 0.01:1:5.")
    SearchFlag lrSearch;

    @Option(names = "--stop-at-target", negatable = true,
            description = "Stop each run once it reaches --target-loss (default: on with --protocol tuned, off with fixed).")
    Boolean stopAtTarget;

    @Option(names = "--pruning", paramLabel = "RULE", converter = PruningFlag.Converter.class,
            description = "With --protocol tuned and stopping at the target: none, or margin[:M] to stop the runs that "
                    + "take over M (default 1.5, 1-10) times the best steps to target of their batch size "
                    + "(default margin:1.5 in tuned).")
    PruningFlag pruning;

    /** The flag of each spec field the flags set, for violations of the assembled spec. */
    static final FieldFlags FIELDS = new FieldFlags(Map.ofEntries(Map.entry("batchSizes", "--batch-sizes"),
            Map.entry("name", "--name"), Map.entry("dataset.name", "--dataset"), Map.entry("dataset.samples", "--samples"),
            Map.entry("model.type", "--model"), Map.entry("model.hidden", "--hidden"), Map.entry("loss", "--loss"),
            Map.entry("optimizer.type", "--optimizer"), Map.entry("budget.epochs", "--epochs"),
            Map.entry("budget.steps", "--steps"), Map.entry("budget.samples", "--budget-samples"),
            Map.entry("learningRate.base", "--lr"), Map.entry("learningRate.scaling", "--lr-scaling"),
            Map.entry("learningRate.baseBatchSize", "--base-batch-size"), Map.entry("seeds", "--seeds"),
            Map.entry("targetLoss", "--target-loss"), Map.entry("noise.every", "--noise-every"),
            Map.entry("protocol", "--protocol"), Map.entry("learningRate.grid", "--lr-grid"),
            Map.entry("learningRate.search", "--lr-search"), Map.entry("stopAtTarget", "--stop-at-target"),
            Map.entry("pruning", "--pruning")));

    /** True when any spec flag was given. */
    boolean any() {
        return batchSizes != null || name != null || dataset != null || samples != null || model != null || hidden != null
                || loss != null || optimizer != null || epochs != null || steps != null || budgetSamples != null || lr != null
                || lrScaling != null || baseBatchSize != null || seeds != null || targetLoss != null || noiseEvery != null
                || protocol != null || lrGrid != null || lrSearch != null || stopAtTarget != null || pruning != null;
    }

    ObjectNode toSpec() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String datasetName = dataset != null ? dataset : DEFAULT_DATASET;
        String modelType = model != null ? model : DEFAULT_MODEL;
        ObjectNode spec = f.objectNode();
        spec.put("name", name != null ? name : datasetName + "-" + modelType);
        ObjectNode datasetNode = spec.putObject("dataset").put("name", datasetName);
        if (samples != null) {
            datasetNode.put("samples", samples);
        }
        ObjectNode modelNode = spec.putObject("model").put("type", modelType);
        if (hidden != null) {
            ArrayNode widths = modelNode.putArray("hidden");
            hidden.forEach(widths::add);
        }
        if (loss != null) {
            spec.put("loss", loss);
        }
        if (optimizer != null) {
            spec.putObject("optimizer").put("type", optimizer);
        }
        ArrayNode sizes = spec.putArray("batchSizes");
        batchSizes.forEach(size -> addBatchSize(sizes, size.trim()));
        ArrayNode seedList = spec.putArray("seeds");
        (seeds != null ? seeds : List.of(1L)).forEach(seedList::add);
        if (protocol != null) {
            spec.put("protocol", protocol);
        }
        ObjectNode rate = spec.putObject("learningRate");
        boolean candidates = lrGrid != null || lrSearch != null;
        // candidates replace the base rate (tuned); both given is the user's to see refused, not ours to pick from
        if (lr != null || !candidates) {
            rate.put("base", lr != null ? lr : DEFAULT_LR);
        }
        if (lrGrid != null) {
            ArrayNode grid = rate.putArray("grid");
            lrGrid.forEach(grid::add);
        }
        if (lrSearch != null) {
            rate.putObject("search").put("min", lrSearch.min()).put("max", lrSearch.max()).put("count", lrSearch.count());
        }
        rate.put("scaling", lrScaling != null ? lrScaling : "none");
        if (baseBatchSize != null) {
            rate.put("baseBatchSize", baseBatchSize);
        }
        ObjectNode budget = spec.putObject("budget");
        if (epochs != null || (steps == null && budgetSamples == null)) {
            budget.put("epochs", epochs != null ? epochs : DEFAULT_EPOCHS);
        }
        if (steps != null) {
            budget.put("steps", steps);
        }
        if (budgetSamples != null) {
            budget.put("samples", budgetSamples);
        }
        if (targetLoss != null) {
            spec.put("targetLoss", targetLoss);
        }
        if (noiseEvery != null) {
            spec.putObject("noise").put("every", noiseEvery);
        }
        if (stopAtTarget != null) {
            spec.put("stopAtTarget", stopAtTarget);
        }
        if (pruning != null) {
            ObjectNode rule = spec.putObject("pruning").put("rule", pruning.rule());
            if (pruning.margin() != null) {
                rule.put("margin", pruning.margin());
            }
        }
        return spec;
    }

    /** A number stays a number so that the scheduler can say which one is out of range; anything else is text. */
    private static void addBatchSize(ArrayNode sizes, String size) {
        try {
            sizes.add(Long.parseLong(size));
        } catch (NumberFormatException notANumber) {
            sizes.add(size);
        }
    }

    static class Datasets extends java.util.ArrayList<String> {
        Datasets() {
            super(List.of("fashion-mnist", "cifar-10", "synthetic-linear", "synthetic-blobs", "csv"));
        }
    }

    static class Models extends java.util.ArrayList<String> {
        Models() {
            super(List.of("linear", "logreg", "mlp", "cnn"));
        }
    }

    static class Protocols extends java.util.ArrayList<String> {
        Protocols() {
            super(List.of("fixed", "tuned"));
        }
    }

    static class Scalings extends java.util.ArrayList<String> {
        Scalings() {
            super(List.of("none", "linear", "sqrt"));
        }
    }
}

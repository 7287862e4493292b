package dev.batchscope.events.validation;

import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSearch;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.PruningRule;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WireEnum;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules for sweep specs and run specs. Limits live here so that REST, CLI and events agree. */
public final class SpecValidator {
    /** Names and ids end up in URLs and Prometheus labels: keep them to a safe alphabet. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String NAME_RULE = "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";
    public static final int MAX_SAMPLES = 10_000_000;
    public static final int MAX_FEATURES = 100_000;
    public static final int MAX_HIDDEN_LAYERS = 8;
    public static final int MAX_LAYER_WIDTH = 8192;
    public static final int MAX_MICRO_BATCHES = 64;
    public static final int MAX_SEEDS = 100;

    private SpecValidator() {
    }

    public static void requireValid(SweepSpec sweep) {
        Violations v = new Violations();
        validate(sweep, v);
        v.throwIfAny();
    }

    public static void requireValid(RunSpec run) {
        Violations v = new Violations();
        validate(run, v);
        v.throwIfAny();
    }

    public static void validate(SweepSpec s, Violations v) {
        v.matches(s.name(), "name", NAME, NAME_RULE);
        validateBatchSizes(s.batchSizes(), v);
        validateSeeds(s.seeds(), v);
        boolean tuned = s.protocol() == Protocol.TUNED;
        if (tuned) {
            validateTunedLearningRate(s.learningRate(), s.batchSizes(), v);
        } else {
            validateOneLearningRate(s.learningRate(), v,
                    "only protocol tuned takes candidate learning rates; protocol fixed trains learningRate.base");
        }
        if (s.batchSizes() != null && s.seeds() != null) {
            long runs = (long) s.batchSizes().size() * candidateCount(s) * s.seeds().size();
            v.check(runs <= SweepSpec.MAX_RUNS, "batchSizes", (tuned ? "batchSizes x learning rates x seeds" : "batchSizes x seeds")
                    + " gives " + runs + " runs; a sweep has at most " + SweepSpec.MAX_RUNS);
        }
        validateShared(s.dataset(), s.model(), s.loss(), s.optimizer(), s.learningRate(), s.budget(), s.noise(),
                s.validation(), s.targetLoss(), s.checkpoint(), v);
        validateStudy(s, v);
    }

    public static void validate(RunSpec r, Violations v) {
        validateBatchSize(r.batchSize(), "batchSize", v);
        validateOneLearningRate(r.learningRate(), v, "a run trains one learning rate, learningRate.base");
        validateShared(r.dataset(), r.model(), r.loss(), r.optimizer(), r.learningRate(), r.budget(), r.noise(),
                r.validation(), r.targetLoss(), r.checkpoint(), v);
        v.check(!r.stopAtTarget() || r.targetLoss() != null, "stopAtTarget", "needs targetLoss: the loss to stop at");
    }

    /** The pruning rule, wherever it appears (a sweep spec, a SweepRef). */
    public static void validatePruningRule(PruningSpec p, Violations v) {
        if (!v.check(p.rule() != null, "rule", "is required; one of " + WireEnum.allowed(PruningRule.class))) {
            return;
        }
        if (p.rule() == PruningRule.NONE) {
            v.check(p.margin() == null, "margin", "only with rule margin");
        } else if (v.required(p.margin(), "margin")) {
            v.check(Double.isFinite(p.margin()) && p.margin() >= PruningSpec.MIN_MARGIN && p.margin() <= PruningSpec.MAX_MARGIN,
                    "margin", "must be from " + PruningSpec.MIN_MARGIN + " to " + PruningSpec.MAX_MARGIN + ", got " + p.margin());
        }
    }

    /** targetLoss, stopAtTarget and pruning: what they need from the protocol and from each other. */
    private static void validateStudy(SweepSpec s, Violations v) {
        boolean tuned = s.protocol() == Protocol.TUNED;
        if (tuned) {
            v.check(s.targetLoss() != null, "targetLoss",
                    "is required with protocol tuned: the study compares batch sizes at the target loss");
        } else {
            v.check(!s.stopAtTarget() || s.targetLoss() != null, "stopAtTarget", "needs targetLoss: the loss to stop at");
        }
        PruningSpec pruning = s.pruning();
        validatePruningRule(pruning, v.at("pruning"));
        if (pruning.rule() == PruningRule.MARGIN) {
            v.check(tuned, "pruning", "rule margin only with protocol tuned: in fixed each batch size and seed has one "
                    + "run, so there is nothing to prune; use rule none");
            v.check(s.stopAtTarget(), "pruning", "rule margin needs stopAtTarget: the best steps to target are known "
                    + "only from runs that stop at the target; use rule none or set stopAtTarget");
        }
    }

    /** Candidates per batch size as the spec asks for them, also when they are invalid (for the run count). */
    private static int candidateCount(SweepSpec s) {
        LearningRateSpec lr = s.learningRate();
        if (s.protocol() != Protocol.TUNED || lr == null) {
            return 1;
        }
        if (lr.grid() != null) {
            return Math.max(1, lr.grid().size());
        }
        return lr.search() != null && lr.search().count() != null ? Math.max(1, lr.search().count()) : 1;
    }

    private static void validateBatchSizes(List<BatchSize> sizes, Violations v) {
        if (!v.required(sizes, "batchSizes") || !v.check(!sizes.isEmpty(), "batchSizes", "must list at least one batch size")) {
            return;
        }
        Set<BatchSize> seen = new HashSet<>();
        for (int i = 0; i < sizes.size(); i++) {
            BatchSize size = sizes.get(i);
            String field = "batchSizes[" + i + "]";
            if (validateBatchSize(size, field, v)) {
                v.check(seen.add(size), field, "duplicates batch size " + size + "; each batch size appears once");
            }
        }
    }

    private static boolean validateBatchSize(BatchSize size, String field, Violations v) {
        return v.required(size, field) && v.check(size.inRange(), field,
                "must be a positive integer (1.." + BatchSize.MAX + ") or \"full\", got " + size);
    }

    private static void validateSeeds(List<Long> seeds, Violations v) {
        if (!v.required(seeds, "seeds") || !v.check(!seeds.isEmpty() && seeds.size() <= MAX_SEEDS, "seeds",
                "must list 1 to " + MAX_SEEDS + " seeds")) {
            return;
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < seeds.size(); i++) {
            Long seed = seeds.get(i);
            if (v.required(seed, "seeds[" + i + "]")) {
                v.check(seed >= 0, "seeds[" + i + "]", "must be zero or positive, got " + seed);
                v.check(seen.add(seed), "seeds[" + i + "]", "duplicates seed " + seed);
            }
        }
    }

    private static void validateShared(DatasetSpec dataset, ModelSpec model, LossFunction loss, OptimizerSpec optimizer,
                                       LearningRateSpec lr, BudgetSpec budget, NoiseSpec noise,
                                       ValidationSpec validation, Double targetLoss, CheckpointSpec checkpoint,
                                       Violations v) {
        validateDataset(dataset, v);
        validateModel(model, v);
        validateCompatibility(dataset, model, loss, v);
        validateOptimizer(optimizer, v.at("optimizer"));
        validateLearningRate(lr, v);
        validateBudget(budget, v);
        if (noise != null) {
            v.intRange(noise.every(), "noise.every", 0, BudgetSpec.MAX_STEPS);
            v.intRange(noise.microBatches(), "noise.microBatches", 2, MAX_MICRO_BATCHES);
        }
        if (validation != null) {
            v.intRange(validation.everyIterations(), "validation.everyIterations", 0, BudgetSpec.MAX_STEPS);
        }
        v.optionalFinite(targetLoss, "targetLoss", 0, 1e6);
        if (checkpoint != null) {
            v.intRange(checkpoint.everyIterations(), "checkpoint.everyIterations", 0, BudgetSpec.MAX_STEPS);
            v.intRange(checkpoint.everySeconds(), "checkpoint.everySeconds", 0, 86_400);
        }
    }

    private static void validateDataset(DatasetSpec d, Violations root) {
        if (!root.required(d, "dataset")) {
            return;
        }
        Violations v = root.at("dataset");
        if (!v.check(d.name() != null, "name", "is required; one of " + WireEnum.allowed(DatasetKind.class))) {
            return;
        }
        v.optionalIntRange(d.samples(), "samples", 2, MAX_SAMPLES);
        v.finite(d.validationFraction(), "validationFraction", 0.0, 0.9);
        v.optionalIntRange(d.features(), "features", 1, MAX_FEATURES);
        v.optionalIntRange(d.classes(), "classes", 2, 1000);
        v.optionalFinite(d.noise(), "noise", 0, 1e6);
        if (d.name() == DatasetKind.CSV || d.name() == DatasetKind.CIFAR_10) {
            if (v.check(d.path() != null && !d.path().isBlank() && d.path().length() <= 4096 && d.path().indexOf('\0') < 0,
                    "path", "is required for " + d.name().wire() + ": the data file or directory")) {
                DataPathRule.problem(d.path()).ifPresent(problem -> v.add("path", problem));
            }
        }
        if (d.name() == DatasetKind.CSV) {
            v.intRange(d.labelColumn(), "labelColumn", 0, MAX_FEATURES);
        }
    }

    private static void validateModel(ModelSpec m, Violations root) {
        if (!root.required(m, "model")) {
            return;
        }
        Violations v = root.at("model");
        v.check(m.type() != null, "type", "is required; one of " + WireEnum.allowed(ModelType.class));
        if (v.check(m.hidden().size() <= MAX_HIDDEN_LAYERS, "hidden", "has at most " + MAX_HIDDEN_LAYERS + " layers")) {
            for (int i = 0; i < m.hidden().size(); i++) {
                v.intRange(m.hidden().get(i), "hidden[" + i + "]", 1, MAX_LAYER_WIDTH);
            }
        }
        if (m.type() == ModelType.MLP) {
            v.check(!m.hidden().isEmpty(), "hidden", "an mlp needs at least one hidden layer");
        } else if (m.type() != null && m.type() != ModelType.CNN) {
            v.check(m.hidden().isEmpty(), "hidden", m.type().wire() + " has no hidden layers; use mlp");
        }
    }

    private static void validateCompatibility(DatasetSpec d, ModelSpec m, LossFunction loss, Violations v) {
        if (!v.check(loss != null, "loss", "must be one of " + WireEnum.allowed(LossFunction.class))
                || d == null || d.name() == null) {
            return;
        }
        DatasetKind kind = d.name();
        if (loss == LossFunction.CROSS_ENTROPY) {
            v.check(kind.classification(), "loss",
                    "cross-entropy needs a classification dataset; " + kind.wire() + " is regression, use mse or mae");
        }
        if (m != null && m.type() == ModelType.CNN) {
            v.check(kind.images(), "model.type", "cnn needs an image dataset (fashion-mnist or cifar-10), not " + kind.wire());
        }
        if (m != null && m.type() == ModelType.LINEAR) {
            v.check(!kind.classification(), "model.type", "linear is regression; use logreg for " + kind.wire());
        }
        if (m != null && m.type() == ModelType.LOGREG) {
            v.check(kind.classification(), "model.type", "logreg needs classes; use linear for " + kind.wire());
        }
    }

    private static void validateOptimizer(OptimizerSpec o, Violations v) {
        if (o == null) {
            return;
        }
        v.check(o.type() != null, "type", "must be one of " + WireEnum.allowed(OptimizerType.class));
        if (o.type() == OptimizerType.MOMENTUM) {
            v.finite(o.momentum(), "momentum", 0.0, 0.999);
        }
    }

    /** Fixed sweeps and runs: {@code base}, and no candidates. */
    private static void validateOneLearningRate(LearningRateSpec lr, Violations root, String noCandidates) {
        if (lr == null) {
            return; // validateLearningRate says it is required
        }
        Violations v = root.at("learningRate");
        v.finite(lr.base(), "base", LearningRateSpec.MIN, LearningRateSpec.MAX);
        v.check(lr.grid() == null, "grid", noCandidates);
        v.check(lr.search() == null, "search", noCandidates);
    }

    /** Tuned sweeps: exactly one of grid or search, no base, and every centred candidate a usable learning rate. */
    private static void validateTunedLearningRate(LearningRateSpec lr, List<BatchSize> batchSizes, Violations root) {
        if (lr == null) {
            return;
        }
        Violations v = root.at("learningRate");
        v.check(lr.base() == null, "base", "must be absent with protocol tuned; give the candidates in "
                + "learningRate.grid or learningRate.search");
        if (lr.grid() != null && lr.search() != null) {
            root.add("learningRate", "protocol tuned takes exactly one of grid or search, got both");
            return;
        }
        if (lr.grid() == null && lr.search() == null) {
            root.add("learningRate", "protocol tuned takes exactly one of grid (a list) or search {min, max, count}, "
                    + "got neither");
            return;
        }
        boolean valid = lr.grid() != null ? validateGrid(lr.grid(), v) : validateSearch(lr.search(), v.at("search"));
        if (valid && batchSizes != null) {
            validateCentred(lr, batchSizes, v);
        }
    }

    private static boolean validateGrid(List<Double> grid, Violations v) {
        if (!v.check(!grid.isEmpty() && grid.size() <= LearningRateSpec.MAX_GRID, "grid",
                "must list 1 to " + LearningRateSpec.MAX_GRID + " learning rates, got " + grid.size())) {
            return false;
        }
        boolean valid = true;
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < grid.size(); i++) {
            String field = "grid[" + i + "]";
            Double value = grid.get(i);
            valid &= learningRate(value, field, v) && v.check(seen.add(value), field, "duplicates " + value);
        }
        return valid;
    }

    private static boolean validateSearch(LearningRateSearch search, Violations v) {
        boolean valid = learningRate(search.min(), "min", v) & learningRate(search.max(), "max", v);
        if (valid) {
            valid = v.check(search.min() < search.max(), "min", "must be below max (" + search.max() + "), got " + search.min());
        }
        if (v.required(search.count(), "count")) {
            valid &= v.check(search.count() >= LearningRateSearch.MIN_COUNT && search.count() <= LearningRateSearch.MAX_COUNT,
                    "count", "must be from " + LearningRateSearch.MIN_COUNT + " to " + LearningRateSearch.MAX_COUNT
                            + ", got " + search.count());
        } else {
            valid = false;
        }
        return valid;
    }

    /** A finite learning rate in the range every run must train with. */
    private static boolean learningRate(Double value, String field, Violations v) {
        return v.finite(value, field, LearningRateSpec.MIN, LearningRateSpec.MAX);
    }

    /** Scaling moves the candidates per batch size: each run's own learning rate must still be in range. */
    private static void validateCentred(LearningRateSpec lr, List<BatchSize> batchSizes, Violations v) {
        if (lr.baseBatchSize() < 1) {
            return; // reported as baseBatchSize
        }
        List<Double> candidates = lr.grid() != null ? lr.grid() : List.of(lr.search().min(), lr.search().max());
        for (int i = 0; i < candidates.size(); i++) {
            String field = lr.grid() != null ? "grid[" + i + "]" : i == 0 ? "search.min" : "search.max";
            for (BatchSize size : batchSizes) {
                if (size == null || size.isFull() || !size.inRange()) {
                    continue;
                }
                double centred = lr.scaling().scale(candidates.get(i), lr.baseBatchSize(), size.size());
                if (!v.check(centred >= LearningRateSpec.MIN && centred <= LearningRateSpec.MAX, field,
                        candidates.get(i) + " centred by scaling " + lr.scaling().wire() + " for batch size " + size
                                + " gives " + centred + "; every run's learning rate must be between "
                                + LearningRateSpec.MIN + " and " + LearningRateSpec.MAX)) {
                    break;
                }
            }
        }
    }

    private static void validateLearningRate(LearningRateSpec lr, Violations root) {
        if (!root.required(lr, "learningRate")) {
            return;
        }
        Violations v = root.at("learningRate");
        v.intRange(lr.baseBatchSize(), "baseBatchSize", 1, BatchSize.MAX);
        v.intRange(lr.warmup().iterations(), "warmup.iterations", 0, BudgetSpec.MAX_STEPS);
        v.intRange(lr.warmup().epochs(), "warmup.epochs", 0, BudgetSpec.MAX_EPOCHS);
        v.check(lr.warmup().iterations() == 0 || lr.warmup().epochs() == 0, "warmup",
                "give iterations or epochs, not both");
    }

    private static void validateBudget(BudgetSpec b, Violations root) {
        if (!root.required(b, "budget")) {
            return;
        }
        Violations v = root.at("budget");
        int given = (b.epochs() != null ? 1 : 0) + (b.samples() != null ? 1 : 0) + (b.steps() != null ? 1 : 0);
        if (root.check(given == 1, "budget", "give exactly one of epochs, samples or steps (got " + given + ")")) {
            v.optionalIntRange(b.epochs(), "epochs", 1, BudgetSpec.MAX_EPOCHS);
            v.optionalIntRange(b.samples(), "samples", 1, BudgetSpec.MAX_SAMPLES);
            v.optionalIntRange(b.steps(), "steps", 1, BudgetSpec.MAX_STEPS);
        }
    }
}

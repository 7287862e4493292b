package dev.batchscope.events.validation;

import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.OptimizerType;
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
        if (s.batchSizes() != null && s.seeds() != null) {
            long runs = (long) s.batchSizes().size() * s.seeds().size();
            v.check(runs <= SweepSpec.MAX_RUNS, "batchSizes",
                    "batchSizes x seeds gives " + runs + " runs; a sweep has at most " + SweepSpec.MAX_RUNS);
        }
        validateShared(s.dataset(), s.model(), s.loss(), s.optimizer(), s.learningRate(), s.budget(), s.noise(),
                s.validation(), s.targetLoss(), s.checkpoint(), v);
    }

    public static void validate(RunSpec r, Violations v) {
        validateBatchSize(r.batchSize(), "batchSize", v);
        validateShared(r.dataset(), r.model(), r.loss(), r.optimizer(), r.learningRate(), r.budget(), r.noise(),
                r.validation(), r.targetLoss(), r.checkpoint(), v);
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
            v.check(d.path() != null && !d.path().isBlank() && d.path().length() <= 4096 && d.path().indexOf('\0') < 0,
                    "path", "is required for " + d.name().wire() + ": the data file or directory");
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

    private static void validateLearningRate(LearningRateSpec lr, Violations root) {
        if (!root.required(lr, "learningRate")) {
            return;
        }
        Violations v = root.at("learningRate");
        v.finite(lr.base(), "base", 1e-9, 100);
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

package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the report says about the sweep itself: its name and state, the spec its runs share, and how each run's batch
 * size was asked for ("full" reads better than 8192). From the scheduler's sweep when there is one, otherwise from the
 * metrics-service's summary alone.
 */
final class SweepFacts {
    private final JsonNode summary;
    private final JsonNode sweep;
    private final JsonNode spec;
    /** runId -> the batch size as requested ("16", "full"). */
    private final Map<String, String> requested = new HashMap<>();
    private final Set<Long> seeds = new TreeSet<>();
    private Integer fullBatch;

    private SweepFacts(JsonNode summary, JsonNode sweep) {
        this.summary = summary;
        this.sweep = sweep;
        JsonNode firstSpec = null;
        if (sweep != null) {
            for (JsonNode run : sweep.path("runs")) {
                requested.put(run.path("runId").asText(), run.path("batchSize").asText());
                if (firstSpec == null && run.path("spec").isObject()) {
                    firstSpec = run.path("spec");
                }
                if ("full".equals(run.path("batchSize").asText()) && run.path("effectiveBatchSize").isNumber()) {
                    fullBatch = run.path("effectiveBatchSize").asInt();
                }
            }
        }
        this.spec = firstSpec;
        for (JsonNode run : summary.path("runs")) {
            if (run.path("seed").isNumber()) {
                seeds.add(run.path("seed").asLong());
            }
            // a run the scheduler did not list (or no scheduler): the summary's effective size stands
            if (fullBatch == null && "full".equals(requested.get(run.path("runId").asText()))
                    && run.path("batchSize").isNumber()) {
                fullBatch = run.path("batchSize").asInt();
            }
        }
    }

    static SweepFacts of(ReportData data) {
        return new SweepFacts(data.summary(), data.sweep());
    }

    String sweepId() {
        return text(summary, "sweepId", sweep == null ? null : text(sweep, "sweepId", null));
    }

    String name() {
        return text(summary, "name", sweep == null ? null : text(sweep, "name", null));
    }

    /** The scheduler's state of the sweep (SUCCEEDED, RUNNING, ...), or null without the scheduler. */
    String state() {
        return sweep == null ? null : text(sweep, "state", null);
    }

    Double targetLoss() {
        JsonNode loss = summary.path("target").path("loss");
        return loss.isNumber() ? loss.asDouble() : null;
    }

    String targetSource() {
        return text(summary.path("target"), "source", null);
    }

    boolean severalSeeds() {
        return seeds.size() > 1;
    }

    List<Long> seeds() {
        return List.copyOf(seeds);
    }

    /** "full (8192)" for the run asked for the full batch, else the number. */
    String batchLabel(String runId, Integer effective) {
        if ("full".equals(requested.get(runId))) {
            return effective == null ? "full" : "full (" + effective + ")";
        }
        return effective != null ? effective.toString() : requested.getOrDefault(runId, "?");
    }

    /** The label of a batch size in the per-size table. */
    String sizeLabel(int batchSize) {
        return fullBatch != null && fullBatch == batchSize ? "full (" + batchSize + ")" : Integer.toString(batchSize);
    }

    /** A tuned study: several learning rates per batch size (docs/design.md#7-the-batch-size-study). */
    boolean tuned() {
        return "tuned".equals(summary.path("protocol").asText());
    }

    /**
     * A run's legend entry: "B=64", "B=full (8192)", with the learning rate in a tuned study and the seed when the
     * sweep has several: each run's curve has a name of its own.
     */
    String curveLabel(RunSeries run) {
        String label = "B=" + batchLabel(run.runId(), run.batchSize());
        if (tuned() && run.learningRate() != null) {
            label += " lr " + Format.number(run.learningRate());
        }
        return severalSeeds() && run.seed() != null ? label + " seed " + run.seed() : label;
    }

    /**
     * Training examples per epoch: the full batch when the sweep has one (the trainer resolved it), else worked out
     * from the dataset as the trainer splits it. Null when it cannot be known here.
     */
    Integer trainExamples() {
        if (fullBatch != null) {
            return fullBatch;
        }
        if (spec == null) {
            return null;
        }
        JsonNode dataset = spec.path("dataset");
        Integer samples = dataset.path("samples").isNumber() ? dataset.path("samples").asInt() : null;
        switch (dataset.path("name").asText("")) {
            case "fashion-mnist":
                return samples == null ? 60_000 : Math.min(samples, 60_000);
            case "cifar-10":
                return samples == null ? 50_000 : Math.min(samples, 50_000);
            case "synthetic-linear":
            case "synthetic-blobs": {
                int n = samples == null ? 4096 : samples;
                double fraction = dataset.path("validationFraction").asDouble(0.1);
                // the trainer's hold-out: round(n * fraction) rows, at least one
                int held = fraction <= 0 || n < 2 ? 0 : Math.max(1, (int) Math.round(n * fraction));
                return n - held;
            }
            default:
                return null;
        }
    }

    /** Whether validation runs at the end of every epoch (the default), so that one point is one epoch. */
    boolean validatesEveryEpoch() {
        return spec == null || spec.path("validation").path("everyIterations").asInt(0) == 0;
    }

    /** One line on what was trained: data, model, optimizer, learning rate, budget, seeds. */
    String description() {
        if (spec == null) {
            return "(the scheduler could not be asked for the sweep's spec)";
        }
        List<String> parts = new ArrayList<>();
        JsonNode dataset = spec.path("dataset");
        String data = dataset.path("name").asText("?");
        Integer n = trainExamples();
        parts.add(data + (n != null ? " (" + String.format(Locale.ROOT, "%,d", n) + " training examples)" : ""));
        JsonNode model = spec.path("model");
        StringBuilder m = new StringBuilder(model.path("type").asText("?"));
        model.path("hidden").forEach(w -> m.append('-').append(w.asInt()));
        parts.add("model " + m);
        parts.add("loss " + spec.path("loss").asText("cross-entropy"));
        parts.add("optimizer " + spec.path("optimizer").path("type").asText("sgd"));
        JsonNode lr = spec.path("learningRate");
        String scaling = lr.path("scaling").asText("none");
        if (tuned()) {
            parts.add("learning rates tuned per batch size (protocol tuned; the best of each batch size is in the"
                    + " table)");
        } else {
            parts.add("learning rate " + Format.number(lr.path("base").asDouble()) + ("none".equals(scaling)
                    ? " for every batch size"
                    : " at batch size " + lr.path("baseBatchSize").asInt(32) + ", scaled " + scaling + "ly with it"));
        }
        JsonNode budget = spec.path("budget");
        if (budget.path("epochs").isNumber()) {
            parts.add(budget.path("epochs").asInt() + " epochs");
        } else if (budget.path("samples").isNumber()) {
            parts.add(String.format(Locale.ROOT, "%,d samples", budget.path("samples").asLong()));
        } else if (budget.path("steps").isNumber()) {
            parts.add(budget.path("steps").asInt() + " steps");
        }
        if (!seeds.isEmpty()) {
            parts.add((seeds.size() == 1 ? "seed " : "seeds ") + seeds.stream().map(String::valueOf)
                    .reduce((a, b) -> a + ", " + b).orElse(""));
        }
        return String.join("; ", parts);
    }

    /** The learning-rate scaling rule, "none" when unknown. */
    String scaling() {
        return spec == null ? "none" : spec.path("learningRate").path("scaling").asText("none");
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}

package dev.batchscope.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live figures of a sweep's runs, read from the metrics-service's summary. The one place that knows that
 * document's shape, and deliberately tolerant of it: it looks anywhere in the document for objects that name a
 * run ({@code runId}) or a batch size ({@code batchSize}) and reads each figure under any of its usual names. A
 * number may also be an object holding it (e.g. {@code "loss": {"last": 0.41, "best": 0.39}}).
 */
public final class MetricsSummary {
    /** One run's (or one batch size's) figures; any may be null. */
    public record Figures(Long iterations, Long totalIterations, Long epoch, Double loss, Double lossEma,
                          Double noiseScale, Double samplesPerSecond) {
        static final Figures NONE = new Figures(null, null, null, null, null, null, null);
    }

    private static final List<String> ITERATIONS = List.of("iterations", "iteration", "iterationsDone", "steps", "step",
            "iterationsTotal");
    private static final List<String> TOTAL = List.of("totalIterations", "iterationBudget", "iterationsBudget",
            "budgetIterations", "plannedIterations", "maxIterations", "totalSteps");
    private static final List<String> EPOCH = List.of("epoch", "currentEpoch", "epochs");
    private static final List<String> LOSS = List.of("loss", "trainLoss", "lastLoss", "latestLoss", "currentLoss",
            "finalLoss", "train_loss");
    private static final List<String> LOSS_EMA = List.of("lossEma", "emaLoss", "trainLossEma", "smoothedLoss",
            "train_loss_ema", "ema");
    private static final List<String> NOISE = List.of("noiseScale", "gradientNoiseScale", "smoothedNoiseScale",
            "noise_scale", "gradient_noise_scale");
    private static final List<String> SAMPLES_PER_SECOND = List.of("samplesPerSecond", "samples_per_second",
            "throughput");
    /** Inside a figure that is an object, the member that holds the current value. */
    private static final List<String> CURRENT = List.of("last", "latest", "current", "value", "final", "mean");

    private final Map<String, Figures> byRun;
    private final Map<String, Figures> byBatchSize;

    private MetricsSummary(Map<String, Figures> byRun, Map<String, Figures> byBatchSize) {
        this.byRun = byRun;
        this.byBatchSize = byBatchSize;
    }

    public static MetricsSummary parse(JsonNode document) {
        Map<String, Figures> byRun = new HashMap<>();
        Map<String, Figures> byBatchSize = new HashMap<>();
        collect(document, byRun, byBatchSize, 0);
        return new MetricsSummary(byRun, byBatchSize);
    }

    /**
     * The run's figures if the summary has them per run, else those of its batch size (the requested one,
     * such as "full", or the effective size).
     */
    public Optional<Figures> figures(String runId, String batchSize, Integer effectiveBatchSize) {
        if (byRun.containsKey(runId)) {
            return Optional.of(byRun.get(runId));
        }
        if (batchSize != null && byBatchSize.containsKey(batchSize)) {
            return Optional.of(byBatchSize.get(batchSize));
        }
        if (effectiveBatchSize != null) {
            return Optional.ofNullable(byBatchSize.get(effectiveBatchSize.toString()));
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return byRun.isEmpty() && byBatchSize.isEmpty();
    }

    private static void collect(JsonNode node, Map<String, Figures> byRun, Map<String, Figures> byBatchSize, int depth) {
        if (depth > 8 || node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(child -> collect(child, byRun, byBatchSize, depth + 1));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        String runId = text(node, "runId", "run");
        if (runId != null) {
            byRun.putIfAbsent(runId, figures(node));
        } else {
            String batchSize = text(node, "batchSize", "batch_size", "effectiveBatchSize");
            if (batchSize != null && hasAnyFigure(node)) {
                byBatchSize.putIfAbsent(batchSize, figures(node));
            }
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            JsonNode child = children.next();
            if (child.isContainerNode()) {
                collect(child, byRun, byBatchSize, depth + 1);
            }
        }
    }

    private static boolean hasAnyFigure(JsonNode node) {
        Figures f = figures(node);
        return !f.equals(Figures.NONE);
    }

    private static Figures figures(JsonNode node) {
        Double iterations = number(node, ITERATIONS);
        Double total = number(node, TOTAL);
        Double epoch = number(node, EPOCH);
        return new Figures(asLong(iterations), asLong(total), asLong(epoch), number(node, LOSS), number(node, LOSS_EMA),
                number(node, NOISE), number(node, SAMPLES_PER_SECOND));
    }

    private static Double number(JsonNode node, List<String> names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isNumber()) {
                return value.doubleValue();
            }
            if (value.isTextual()) {
                try {
                    return Double.parseDouble(value.asText());
                } catch (NumberFormatException ignored) {
                    // not this one
                }
            }
            if (value.isObject()) {
                Double inner = number(value, CURRENT);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && (value.isTextual() || value.isNumber())) {
                return value.asText();
            }
        }
        return null;
    }

    private static Long asLong(Double value) {
        return value == null || !Double.isFinite(value) ? null : Math.round(value);
    }
}

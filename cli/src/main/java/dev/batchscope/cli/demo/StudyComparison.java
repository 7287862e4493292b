package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the demo says after its two experiments: the textbook's answer (one learning rate for every batch size) beside
 * the tuned study's (each batch size at its best learning rate), and why they differ (docs/design.md#7-the-batch-size-study).
 * Built from the two summaries the metrics-service served, so it says only what they hold.
 */
final class StudyComparison {
    /** Written beside the sweeps' report folders. */
    static final String FILE = "comparison.md";

    private final DemoSweep textbook;
    private final JsonNode fixed;
    private final JsonNode tuned;

    private StudyComparison(DemoSweep textbook, JsonNode fixed, JsonNode tuned) {
        this.textbook = textbook;
        this.fixed = fixed;
        this.tuned = tuned;
    }

    /** Present when the demo ran both the textbook sweep (one learning rate) and the tuned study. */
    static Optional<StudyComparison> of(Map<DemoSweep, JsonNode> summaries) {
        Map.Entry<DemoSweep, JsonNode> textbook = null;
        JsonNode study = null;
        for (Map.Entry<DemoSweep, JsonNode> entry : summaries.entrySet()) {
            if (entry.getKey().tuned()) {
                study = entry.getValue();
            } else if ("none".equals(entry.getKey().scaling()) && textbook == null) {
                textbook = entry;
            }
        }
        if (textbook == null || study == null) {
            return Optional.empty();
        }
        return Optional.of(new StudyComparison(textbook.getKey(), textbook.getValue(), study));
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("How the two answers differ");
        lines.add("- textbook, learning rate " + Format.number(textbook.lr()) + " for every batch size: "
                + criticalBatchSize(fixed) + ". At one fixed learning rate the law S = S_min(1 + B_crit/B) does not"
                + " apply: it describes the steps of each batch size at its best learning rate. A rate that suits"
                + " small batches holds large ones back, so their steps fall less than they could and B_crit comes"
                + " out too small.");
        lines.add("- tuned study, the best of " + DemoCommand.STUDY_CANDIDATES + " learning rates per batch size: "
                + criticalBatchSize(tuned) + bestRates(tuned) + ".");
        lines.add("- gradient noise at the target: " + noiseAtTarget(tuned) + ".");
        String advice = tuned.path("recommendation").asText("");
        if (!advice.isEmpty()) {
            lines.add("The study's recommendation: " + advice);
        }
        return lines;
    }

    void write(Path file) throws IOException {
        List<String> lines = lines();
        StringBuilder md = new StringBuilder("# ").append(lines.get(0)).append("\n\n");
        for (String line : lines.subList(1, lines.size())) {
            md.append(line).append("\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    /** "B_crit ≈ 120 (95 % interval 80 to 190)", or why there is none. */
    static String criticalBatchSize(JsonNode summary) {
        JsonNode critical = summary.path("criticalBatchSize");
        if (!critical.path("value").isNumber()) {
            return "no critical batch size could be fitted (fewer than two batch sizes reached the target, or their"
                    + " steps do not fall with batch size)";
        }
        String text = "B_crit ≈ " + Format.number(critical.path("value").asDouble());
        if (critical.path("low").isNumber() && critical.path("high").isNumber()) {
            text += " (interval " + Format.number(critical.path("low").asDouble()) + " to "
                    + Format.number(critical.path("high").asDouble()) + ")";
        }
        return text;
    }

    /** "; its best learning rate grows as the square root of the batch size (exponent 0.46)". */
    private static String bestRates(JsonNode summary) {
        JsonNode scaling = summary.path("lrScaling");
        if (!scaling.path("exponent").isNumber()) {
            return "";
        }
        return "; the best learning rate against batch size: " + scaling.path("shape").asText("?") + " (exponent "
                + Format.number(scaling.path("exponent").asDouble()) + ")";
    }

    private static String noiseAtTarget(JsonNode summary) {
        JsonNode atTarget = summary.path("noiseScaleAtTarget");
        if (!atTarget.isNumber()) {
            return "no run measured B_simple where it reached the target";
        }
        double bSimple = atTarget.asDouble();
        String text = "B_simple ≈ " + Format.number(bSimple) + " (median over the runs, read where each reached the"
                + " target loss)";
        JsonNode critical = summary.path("criticalBatchSize").path("value");
        if (critical.isNumber() && bSimple > 0) {
            text += "; B_crit / B_simple = " + Format.number(critical.asDouble() / bSimple)
                    + " (McCandlish et al. 2018 find the two within a small factor)";
        }
        return text;
    }
}

package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;

import java.util.Locale;

/**
 * The report's study section from the metrics-service's summary (docs/design.md section 7): B_crit with its interval,
 * the best learning rate of each batch size, B_simple at the target beside B_crit, how the best learning rate scales
 * and what early stops saved. A summary from before the study analysis has none of these fields: then the section
 * is left out.
 */
final class StudyLines {
    private StudyLines() {
    }

    static boolean present(JsonNode summary) {
        return summary.has("criticalBatchSize") || summary.has("grid");
    }

    static String markdown(JsonNode summary, SweepFacts facts) {
        StringBuilder md = new StringBuilder("## The study\n\n");
        String protocol = summary.path("protocol").asText("fixed");
        md.append("Protocol: ").append(protocol).append('.');
        md.append(criticalBatchSize(summary.path("criticalBatchSize")));
        md.append(noiseAtTarget(summary));
        md.append(lrScaling(summary.path("lrScaling"), protocol));
        md.append(earlyStops(summary.path("earlyStops")));
        md.append("\n\n").append(bestLearningRates(summary, facts)).append('\n');
        return md.toString();
    }

    private static String criticalBatchSize(JsonNode b) {
        if (!b.path("value").isNumber()) {
            return " No critical batch size yet: the fit needs two batch sizes that reached the target.";
        }
        String s = String.format(Locale.ROOT, " **B_crit ≈ %,.0f**", b.path("value").asDouble());
        if (b.path("low").isNumber() && b.path("high").isNumber()) {
            s += String.format(Locale.ROOT, " (95 %% interval %,.0f–%,.0f, %s)", b.path("low").asDouble(),
                    b.path("high").asDouble(), methodText(b.path("method").asText()));
        } else {
            s += " (no interval: one seed per learning rate and too few batch sizes)";
        }
        return s + ", fitted once on each batch size's steps at its best learning rate.";
    }

    private static String methodText(String method) {
        return switch (method) {
            case "bootstrap-seeds" -> "bootstrap over seeds, best learning rate re-selected each time";
            case "bootstrap-residuals" -> "bootstrap over the fit's residuals";
            default -> method;
        };
    }

    private static String noiseAtTarget(JsonNode summary) {
        JsonNode noise = summary.path("noiseScaleAtTarget");
        if (!noise.isNumber()) {
            return "";
        }
        String s = String.format(Locale.ROOT, " **B_simple at the target ≈ %,.0f** (median over the best-learning-rate"
                + " runs)", noise.asDouble());
        JsonNode ratio = summary.path("criticalToNoiseRatio");
        if (ratio.isNumber()) {
            s += String.format(Locale.ROOT, "; B_crit/B_simple ≈ %.2f", ratio.asDouble());
        }
        return s + ".";
    }

    private static String lrScaling(JsonNode scaling, String protocol) {
        if (!scaling.path("exponent").isNumber()) {
            return "fixed".equals(protocol) ? "" : " The best learning rate's scaling needs two batch sizes.";
        }
        return String.format(Locale.ROOT, " Best learning rate against batch size: lr* ∝ B^%.2f, **%s**.",
                scaling.path("exponent").asDouble(), scaling.path("shape").asText());
    }

    private static String earlyStops(JsonNode saved) {
        if (saved.path("runs").asInt(0) == 0) {
            return "";
        }
        String fraction = saved.path("fractionOfBudget").isNumber()
                ? String.format(Locale.ROOT, " (%.0f %% of the step budget)", 100 * saved.path("fractionOfBudget").asDouble())
                : "";
        return String.format(Locale.ROOT, " Early stops (reached the target or pruned) saved %,d steps%s and %,d"
                + " samples over %d runs.", saved.path("steps").asLong(), fraction, saved.path("samples").asLong(),
                saved.path("runs").asInt());
    }

    private static String bestLearningRates(JsonNode summary, SweepFacts facts) {
        StringBuilder md = new StringBuilder("| batch size | best learning rate | seeds that reached it | steps to target"
                + " | samples to target | B_simple at target |\n|:---|---:|---:|---:|---:|---:|\n");
        for (JsonNode size : summary.path("batchSizes")) {
            md.append("| ").append(facts.sizeLabel(size.path("batchSize").asInt())).append(" | ")
                    .append(Format.number(BatchSizeRows.number(size, "bestLearningRate"))).append(" | ")
                    .append(size.path("reachedTarget").asInt()).append(" | ")
                    .append(Format.whole(BatchSizeRows.number(size, "stepsToTarget"))).append(" | ")
                    .append(BatchSizeRows.thousands(BatchSizeRows.number(size, "samplesToTarget"))).append(" | ")
                    .append(Format.whole(BatchSizeRows.number(size, "noiseScaleAtTarget"))).append(" |\n");
        }
        return md.toString();
    }
}

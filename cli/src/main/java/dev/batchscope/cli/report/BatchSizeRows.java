package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;
import dev.batchscope.cli.render.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's table: one row per batch size from the metrics-service's summary; the to-target columns at its best
 * learning rate, the others means over its runs.
 */
final class BatchSizeRows {
    static final String[] HEADERS = {"batch size", "learning rate", "runs", "final loss", "best val acc",
            "steps to target", "samples to target", "s to target", "B_simple (end)", "train s"};
    static final String NOT_REACHED = "not reached";

    private BatchSizeRows() {
    }

    static List<List<String>> rows(JsonNode summary, SweepFacts facts) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode size : summary.path("batchSizes")) {
            int b = size.path("batchSize").asInt();
            boolean reached = size.path("reachedTarget").asInt(0) > 0;
            List<String> row = new ArrayList<>();
            row.add(facts.sizeLabel(b));
            row.add(Format.number(learningRate(summary, b)));
            row.add(size.path("finished").asInt() + "/" + size.path("runs").asInt());
            row.add(Format.number(number(size, "finalLoss")));
            row.add(percent(number(size, "bestValAccuracy")));
            row.add(reached ? Format.whole(number(size, "stepsToTarget")) : NOT_REACHED);
            row.add(reached ? thousands(number(size, "samplesToTarget")) : NOT_REACHED);
            row.add(reached ? Format.whole(number(size, "secondsToTarget")) : NOT_REACHED);
            row.add(Format.whole(number(size, "noiseScale")));
            row.add(Format.whole(number(size, "seconds")));
            rows.add(row);
        }
        return rows;
    }

    /** The rows as a plain-text table, for the terminal. */
    static Table table(JsonNode summary, SweepFacts facts) {
        Table table = new Table(HEADERS);
        rows(summary, facts).forEach(row -> table.row(row.toArray()));
        return table;
    }

    /** The rows as a Markdown table, numbers right-aligned. */
    static String markdown(JsonNode summary, SweepFacts facts) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", HEADERS)).append(" |\n|");
        sb.append(":---|");
        for (int i = 1; i < HEADERS.length; i++) {
            sb.append("---:|");
        }
        sb.append('\n');
        for (List<String> row : rows(summary, facts)) {
            sb.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The batch size's learning rate: its best one where the summary has it, else the (effective) learning rate of its
     * runs, the same for all of them in a fixed sweep. A tuned sweep tries several, and a batch size none of whose
     * rates reached the target has no best: no one rate stands for it.
     */
    static Double learningRate(JsonNode summary, int batchSize) {
        for (JsonNode size : summary.path("batchSizes")) {
            if (size.path("batchSize").asInt(-1) == batchSize && size.path("bestLearningRate").isNumber()) {
                return size.path("bestLearningRate").asDouble();
            }
        }
        if ("tuned".equals(summary.path("protocol").asText())) {
            return null;
        }
        for (JsonNode run : summary.path("runs")) {
            if (run.path("batchSize").asInt(-1) == batchSize && run.path("learningRate").isNumber()) {
                return run.path("learningRate").asDouble();
            }
        }
        return null;
    }

    static Double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : null;
    }

    private static String percent(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String thousands(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }
}

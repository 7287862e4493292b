package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;
import dev.batchscope.cli.render.Table;
import dev.batchscope.events.spec.RunState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How sweeps read in tables (the scheduler's JSON, as docs/design.md#9-http serves it). */
final class SweepText {
    private SweepText() {
    }

    /** "12 runs: 3 succeeded, 1 running, 8 queued". */
    static String runCounts(JsonNode sweep) {
        JsonNode counts = sweep.path("counts");
        List<String> parts = new ArrayList<>();
        for (RunState state : List.of(RunState.SUCCEEDED, RunState.RUNNING, RunState.QUEUED, RunState.DIVERGED,
                RunState.FAILED, RunState.CANCELLED)) {
            int n = counts.path(state.wire()).asInt(0);
            if (n > 0) {
                parts.add(n + " " + state.wire().toLowerCase(Locale.ROOT));
            }
        }
        return sweep.path("runCount").asInt() + " runs" + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    static String header(JsonNode sweep) {
        return "sweep " + sweep.path("sweepId").asText() + " (" + sweep.path("name").asText() + ")  "
                + sweep.path("state").asText() + "  created " + Format.time(sweep.path("createdAt").asText())
                + "  " + runCounts(sweep);
    }

    static String runLabel(JsonNode run) {
        return "r" + run.path("index").asInt();
    }

    static String batchSize(JsonNode run) {
        String requested = run.path("batchSize").asText("-");
        JsonNode effective = run.path("effectiveBatchSize");
        return "full".equals(requested) && effective.isNumber() ? "full(" + effective.asInt() + ")" : requested;
    }

    static Table runsTable(JsonNode sweep) {
        Table table = new Table("RUN", "BATCH", "SEED", "STATE", "ATTEMPT", "TRAINER", "EFF.BATCH", "EFF.LR", "REASON");
        for (JsonNode run : sweep.path("runs")) {
            table.row(runLabel(run), run.path("batchSize").asText("-"), text(run, "seed"), run.path("state").asText(),
                    text(run, "attempt"), text(run, "trainerId"), text(run, "effectiveBatchSize"),
                    run.path("effectiveLearningRate").isNumber() ? Format.number(run.path("effectiveLearningRate").asDouble()) : "-",
                    text(run, "reason"));
        }
        return table;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asText();
    }
}

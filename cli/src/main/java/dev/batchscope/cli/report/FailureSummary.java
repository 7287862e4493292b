package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a sweep's runs did not succeed, from the scheduler's sweep: the runs that ended FAILED, CANCELLED or DIVERGED,
 * grouped by state, outcome and reason, so that each distinct reason is said once with the runs it hit. Which runs
 * count is decided by their state alone; the reason is only shown.
 */
public final class FailureSummary {
    /** Terminal states other than SUCCEEDED (DIVERGED: the typed outcome of docs/design.md#4-events). */
    static final Set<String> NOT_SUCCEEDED = Set.of("FAILED", "CANCELLED", "DIVERGED");

    /** One reason and the runs it hit, each as "r3 (B=64, seed 1)". */
    public record Group(String state, String outcome, String reason, List<String> runs) {
        String heading() {
            return runs.size() + (runs.size() == 1 ? " run " : " runs ") + state
                    + (outcome == null ? "" : " (" + outcome + ")") + ": " + reason;
        }
    }

    private final List<Group> groups;
    private final int runs;

    private FailureSummary(List<Group> groups, int runs) {
        this.groups = List.copyOf(groups);
        this.runs = runs;
    }

    /** From the scheduler's sweep document ({@code GET /api/v1/sweeps/{id}}); empty for null. */
    public static FailureSummary of(JsonNode sweep) {
        Map<List<String>, List<String>> byReason = new LinkedHashMap<>();
        int runs = 0;
        if (sweep != null) {
            for (JsonNode run : sweep.path("runs")) {
                runs++;
                String state = run.path("state").asText("");
                if (NOT_SUCCEEDED.contains(state)) {
                    String outcome = run.path("outcome").isTextual() ? run.path("outcome").asText() : null;
                    String reason = run.path("reason").asText("").isBlank() ? "no reason given" : run.path("reason").asText();
                    byReason.computeIfAbsent(Arrays.asList(state, outcome, reason), k -> new ArrayList<>())
                            .add(label(run));
                }
            }
        }
        List<Group> groups = new ArrayList<>();
        byReason.forEach((key, labels) -> groups.add(new Group(key.get(0), key.get(1), key.get(2), labels)));
        return new FailureSummary(groups, runs);
    }

    public List<Group> groups() {
        return groups;
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /** Whether the sweep has runs and none of them succeeded: its per-batch-size table would be all dashes. */
    public boolean noRunSucceeded() {
        return runs > 0 && groups.stream().mapToInt(g -> g.runs().size()).sum() == runs;
    }

    /** For the terminal: each reason once, then the runs it hit. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Group group : groups) {
            lines.add(group.heading());
            lines.add("    " + String.join(", ", group.runs()));
        }
        return lines;
    }

    /** For the terminal in place of the per-batch-size table when no run succeeded. */
    public Table table() {
        Table table = new Table("runs", "state", "reason");
        for (Group group : groups) {
            table.row(String.join(", ", group.runs()), group.state()
                    + (group.outcome() == null ? "" : " (" + group.outcome() + ")"), group.reason());
        }
        return table;
    }

    /** The report's section on the runs that did not succeed; empty when every run did. */
    public String markdown() {
        if (groups.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Runs that did not succeed\n\n");
        for (Group group : groups) {
            md.append("- **").append(group.runs().size()).append(group.runs().size() == 1 ? " run " : " runs ")
                    .append(group.state()).append(group.outcome() == null ? "" : " (" + group.outcome() + ")")
                    .append("**: ").append(group.reason().replace("\n", " ")).append("  \n  ")
                    .append(String.join(", ", group.runs())).append('\n');
        }
        return md.append('\n').toString();
    }

    private static String label(JsonNode run) {
        return "r" + run.path("index").asInt() + " (B=" + run.path("batchSize").asText("?")
                + (run.path("seed").isNumber() ? ", seed " + run.path("seed").asLong() : "") + ")";
    }
}

package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.testing.machine.MachineRequirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Why runs did not succeed: each reason once with its runs, in the demo's output and in the report. */
class FailureSummaryTest {
    private static final String NO_DATA = "dataset.name: fashion-mnist files [...] were not found";

    @BeforeAll
    static void fontsForTheCharts() {
        MachineRequirements.require("fonts");
    }

    @Test
    void eachReasonOnceWithTheRunsItHit() {
        JsonNode sweep = recordedSweepWith(List.of("FAILED", "FAILED", "SUCCEEDED", "FAILED", "CANCELLED", "SUCCEEDED"),
                List.of(NO_DATA, NO_DATA, "", "out of memory", "cancelled by the user", ""));
        FailureSummary failures = FailureSummary.of(sweep);

        assertEquals(List.of("2 runs FAILED: " + NO_DATA, "    r0 (B=16, seed 1), r1 (B=32, seed 1)",
                "1 run FAILED: out of memory", "    r3 (B=128, seed 1)",
                "1 run CANCELLED: cancelled by the user", "    r4 (B=256, seed 1)"), failures.lines());
        assertFalse(failures.noRunSucceeded());
        assertTrue(FailureSummary.of(RecordedSweep.read("sweep.json")).isEmpty(), "a sweep whose runs all succeeded");
        assertTrue(FailureSummary.of(null).isEmpty(), "no scheduler, nothing to say");
    }

    @Test
    void theTypedOutcomeIsShownWithTheState() {
        ObjectNode sweep = (ObjectNode) recordedSweepWith(List.of("FAILED", "FAILED", "FAILED", "FAILED", "FAILED", "FAILED"),
                List.of(NO_DATA, NO_DATA, NO_DATA, NO_DATA, NO_DATA, NO_DATA));
        sweep.path("runs").forEach(run -> ((ObjectNode) run).put("outcome", "data"));

        assertEquals("6 runs FAILED (data): " + NO_DATA, FailureSummary.of(sweep).lines().get(0));
    }

    @Test
    void whenNoRunSucceededTheReportShowsTheReasonsInsteadOfATableOfDashes(@TempDir Path dir) throws IOException {
        JsonNode sweep = recordedSweepWith(List.of("FAILED", "FAILED", "FAILED", "FAILED", "FAILED", "FAILED"),
                List.of(NO_DATA, NO_DATA, NO_DATA, NO_DATA, NO_DATA, NO_DATA));
        ReportData recorded = RecordedSweep.textbook();
        ReportData data = new ReportData(recorded.sweepId(), recorded.summary(), sweep, seriesOf(recorded));

        ReportWriter.Report report = ReportWriter.write(data, dir);

        List<String> table = report.table().lines();
        assertEquals(List.of("runs", "state", "reason"), List.of(table.get(0).trim().split("\\s{2,}")));
        assertEquals(2, table.size(), "one row for the one reason: " + table);
        assertTrue(table.get(1).contains("r0 (B=16, seed 1), r1 (B=32, seed 1)") && table.get(1).endsWith(NO_DATA),
                table.get(1));
        String md = Files.readString(dir.resolve(ReportWriter.MARKDOWN));
        assertTrue(md.contains("## Runs that did not succeed\n\n- **6 runs FAILED**: " + NO_DATA), md);
        assertTrue(md.contains("No run succeeded, so there is nothing to compare"), md);
    }

    /** The recorded textbook sweep with each run's state and reason replaced. */
    private static JsonNode recordedSweepWith(List<String> states, List<String> reasons) {
        ObjectNode sweep = (ObjectNode) RecordedSweep.read("sweep.json");
        for (int i = 0; i < states.size(); i++) {
            ObjectNode run = (ObjectNode) sweep.path("runs").get(i);
            run.put("state", states.get(i));
            if (!reasons.get(i).isEmpty()) {
                run.put("reason", reasons.get(i));
            }
        }
        return sweep;
    }

    private static java.util.Map<String, List<RunSeries>> seriesOf(ReportData data) {
        java.util.Map<String, List<RunSeries>> series = new java.util.HashMap<>();
        for (String metric : ReportData.METRICS) {
            for (String x : ReportData.AXES) {
                series.put(ReportData.key(metric, x), data.series(metric, x));
            }
        }
        return series;
    }
}

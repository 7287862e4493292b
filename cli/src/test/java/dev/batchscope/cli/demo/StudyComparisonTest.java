package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyComparisonTest {
    private static final DemoSweep TEXTBOOK = new DemoSweep("textbook-same-lr", 1000, List.of(8), List.of("16", "64"),
            0.1, "none", 32, 0, 2, 1.0, List.of(1L), 10);
    private static final DemoSweep STUDY = new DemoSweep("study-tuned", 1000, List.of(8), List.of("16", "64"), 0,
            "sqrt", 32, 0, 2, 1.0, List.of(1L), 10, new DemoSweep.Search(0.03, 0.3, 4));

    @Test
    void setsTheTextbooksCriticalBatchSizeBesideTheStudysWithItsIntervalAndTheNoiseScaleAtTheTarget(@TempDir Path dir)
            throws Exception {
        Map<DemoSweep, JsonNode> summaries = new LinkedHashMap<>();
        summaries.put(TEXTBOOK, json("{\"criticalBatchSize\": {\"value\": 13.2}}"));
        summaries.put(STUDY, json("{\"criticalBatchSize\": {\"value\": 240, \"low\": 150, \"high\": 400},"
                + " \"noiseScaleAtTarget\": 300, \"lrScaling\": {\"exponent\": 0.48, \"shape\": \"square root\"},"
                + " \"recommendation\": \"Batch 256.\"}"));
        StudyComparison comparison = StudyComparison.of(summaries).orElseThrow();
        List<String> lines = comparison.lines();
        assertTrue(lines.get(1).startsWith("- textbook, learning rate 0.1000 for every batch size: B_crit ≈ 13.200."),
                lines.get(1));
        assertTrue(lines.get(2).contains("B_crit ≈ 240.000 (interval 150.000 to 400.000)")
                && lines.get(2).contains("square root (exponent 0.4800)"), lines.get(2));
        assertTrue(lines.get(3).contains("B_simple ≈ 300.000") && lines.get(3).contains("B_crit / B_simple = 0.8000"),
                lines.get(3));
        assertEquals("The study's recommendation: Batch 256.", lines.get(4));
        Path file = dir.resolve(StudyComparison.FILE);
        comparison.write(file);
        assertTrue(Files.readString(file).startsWith("# How the two answers differ\n\n- textbook"));
    }

    @Test
    void saysWhenNoCriticalBatchSizeCouldBeFittedAndNeedsBothSweeps() throws Exception {
        Map<DemoSweep, JsonNode> summaries = new LinkedHashMap<>();
        summaries.put(TEXTBOOK, json("{}"));
        assertTrue(StudyComparison.of(summaries).isEmpty(), "no study, nothing to compare");
        summaries.put(STUDY, json("{\"criticalBatchSize\": {\"value\": null}}"));
        List<String> lines = StudyComparison.of(summaries).orElseThrow().lines();
        assertTrue(lines.get(2).contains("no critical batch size could be fitted"), lines.get(2));
        assertTrue(lines.get(3).contains("no run measured B_simple"), lines.get(3));
    }

    private static JsonNode json(String text) throws Exception {
        return EventJson.mapper().readTree(text);
    }
}

package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.machine.MachineRequirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report from a recorded sweep: every file, charts that show the data, the table, the CSV and the JSON. */
class ReportWriterTest {
    static final List<String> FILES = List.of("loss-vs-iterations.png", "loss-vs-samples.png", "loss-vs-seconds.png",
            "val-accuracy-vs-epoch.png", "gradient-noise-scale.png", "steps-samples-to-target.png", "report.md",
            "series.csv", "summary.json");

    @BeforeAll
    static void fontsForTheCharts() {
        MachineRequirements.require("fonts");
    }

    @Test
    void writesEveryChartAsADecodablePngThatShowsItsData(@TempDir Path dir) throws IOException {
        ReportWriter.Report report = ReportWriter.write(RecordedSweep.textbook(), dir);
        Set<String> written = new TreeSet<>();
        report.files().forEach(f -> written.add(f.getFileName().toString()));
        assertEquals(new TreeSet<>(FILES), written);
        for (String file : FILES) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file + " is empty");
            if (file.endsWith(".png")) {
                Png png = Png.read(dir.resolve(file));
                assertEquals(ChartRenderer.WIDTH, png.width());
                assertEquals(ChartRenderer.HEIGHT, png.height());
                png.assertNotBlank();
            }
        }
    }

    @Test
    void everyBatchSizeHasItsOwnColourInTheLossCharts(@TempDir Path dir) throws IOException {
        ReportWriter.write(RecordedSweep.textbook(), dir);
        Png samples = Png.read(dir.resolve("loss-vs-samples.png"));
        for (int i = 0; i < 6; i++) {
            assertTrue(samples.pixelsOf(ChartRenderer.PALETTE[i]) > 150,
                    "batch size #" + i + " is drawn in its colour: " + samples.pixelsOf(ChartRenderer.PALETTE[i]));
        }
    }

    @Test
    void summaryJsonHasOneEntryPerBatchSizeLabelledAsRequested(@TempDir Path dir) throws IOException {
        ReportWriter.write(RecordedSweep.textbook(), dir);
        JsonNode summary = EventJson.mapper().readTree(dir.resolve("summary.json").toFile());
        List<String> labels = new ArrayList<>();
        summary.path("batchSizes").forEach(b -> labels.add(b.path("label").asText()));
        assertEquals(List.of("16", "32", "64", "128", "256", "full (12000)"), labels);
        summary.path("batchSizes").forEach(b -> assertEquals(0.1, b.path("learningRate").asDouble(), 1e-12));
        assertEquals(6, summary.path("runs").size());
        assertTrue(summary.path("fit").path("bCrit").isNumber());
        assertEquals("none", summary.path("sweep").path("learningRateScaling").asText());
        assertEquals(6, summary.path("report").path("charts").size());
    }

    @Test
    void markdownHasTheTableTheFitAndEveryChart(@TempDir Path dir) throws IOException {
        ReportWriter.write(RecordedSweep.textbook(), dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.startsWith("# Batch-size sweep m4 (" + RecordedSweep.SWEEP_ID + ")"), md);
        assertTrue(md.contains("fashion-mnist (12,000 training examples); model mlp-256-128"), md);
        assertTrue(md.contains("learning rate 0.1000 for every batch size; 10 epochs; seed 1"), md);
        assertTrue(md.contains("| 16 | 0.1000 | 1/1 | 0.3115 | 85.2% | 455 | 7,280 |"), md);
        assertTrue(md.contains("| full (12000) | 0.1000 | 1/1 | 1.898 | 62.4% | not reached | not reached |"), md);
        assertTrue(md.contains("**B_crit = E_min/S_min ≈ 13**"), md);
        assertTrue(md.contains("**B_simple ≈ 171**"), md);
        for (String[] chart : ReportCharts.CAPTIONS) {
            assertTrue(md.contains("![" + chart[1] + "](" + chart[0] + ")"), chart[0] + " embedded");
        }
    }

    @Test
    void seriesCsvJoinsStepSamplesAndSecondsPointByPoint(@TempDir Path dir) throws IOException {
        ReportData data = RecordedSweep.textbook();
        ReportWriter.write(data, dir);
        List<String> lines = Files.readAllLines(dir.resolve("series.csv"));
        assertEquals(SeriesCsv.HEADER, lines.get(0));
        int points = 0;
        for (String metric : ReportData.METRICS) {
            for (RunSeries run : data.series(metric, "step")) {
                points += run.points().size();
            }
        }
        assertEquals(points + 1, lines.size());
        // batch 64 ran 187 steps per epoch (12000 / 64, rounded down): its 2nd validation is epoch 2 at step 374
        String validation = lines.stream().filter(l -> l.startsWith(RecordedSweep.SWEEP_ID + "-r2,64,1,0.1,val_accuracy,374,"))
                .findFirst().orElseThrow();
        String[] cells = validation.split(",", -1);
        assertEquals("23936", cells[6], "samples seen = 374 * 64");
        assertFalse(cells[7].isEmpty(), "seconds");
        assertEquals("2", cells[8], "epoch");
        for (String line : lines.subList(1, lines.size())) {
            String[] row = line.split(",", -1);
            assertEquals(10, row.length, line);
            assertFalse(row[5].isEmpty() || row[6].isEmpty() || row[7].isEmpty() || row[9].isEmpty(),
                    "every point has step, samples, seconds and a value: " + line);
        }
    }

    @Test
    void validationPointsAreEpochsFromTheDatasetSizeOrTheFirstValidation() {
        ReportData data = RecordedSweep.textbook();
        List<Curve> withSpec = ReportCharts.epochCurves(data.series("val_accuracy", "step"),
                SweepFacts.of(data));
        List<Curve> withoutScheduler = ReportCharts.epochCurves(RecordedSweep.textbook(false).series("val_accuracy", "step"),
                SweepFacts.of(RecordedSweep.textbook(false)));
        for (List<Curve> curves : List.of(withSpec, withoutScheduler)) {
            assertEquals(6, curves.size());
            for (Curve curve : curves) {
                List<Double> epochs = new ArrayList<>();
                curve.points().forEach(p -> epochs.add(p[0]));
                assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0), epochs, curve.label());
            }
        }
    }

    @Test
    void withoutTheSchedulerTheReportLabelsBatchSizesByNumber(@TempDir Path dir) throws IOException {
        ReportWriter.Report report = ReportWriter.write(RecordedSweep.textbook(false), dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("the scheduler could not be asked"), md);
        assertTrue(md.contains("| 12000 | 0.1000 |"), md);
        assertTrue(report.table().toString().contains("12000"), report.table().toString());
        Png.read(dir.resolve("steps-samples-to-target.png")).assertNotBlank();
    }

    @Test
    void aSweepWithoutATargetStillGetsEveryChart(@TempDir Path dir) throws IOException {
        ReportData recorded = RecordedSweep.textbook();
        com.fasterxml.jackson.databind.node.ObjectNode summary = ((com.fasterxml.jackson.databind.node.ObjectNode) recorded.summary()).deepCopy();
        summary.putObject("target").putNull("loss");
        summary.putNull("fit");
        summary.withArray("batchSizes").forEach(b -> {
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).putNull("stepsToTarget");
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).putNull("samplesToTarget");
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).put("reachedTarget", 0);
        });
        ReportWriter.write(new ReportData(recorded.sweepId(), summary, recorded.sweep(), recorded.series()), dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("No target loss was set"), md);
        assertTrue(md.contains("No fit:"), md);
        assertTrue(md.contains("| 16 | 0.1000 | 1/1 | 0.3115 | 85.2% | not reached |"), md);
        assertTrue(Png.read(dir.resolve("steps-samples-to-target.png")).inkShare() > 0.02);
    }

    /**
     * The recorded textbook summary with the study's fields as the metrics-service adds them (a tuned sweep's best
     * learning rates, B_crit's interval, B_simple at the target, the lr scaling, early stops): the report prints them.
     */
    @Test
    void markdownPrintsTheStudyLines(@TempDir Path dir) throws IOException {
        ReportData recorded = RecordedSweep.textbook();
        com.fasterxml.jackson.databind.node.ObjectNode summary = ((com.fasterxml.jackson.databind.node.ObjectNode) recorded.summary()).deepCopy();
        summary.put("protocol", "tuned");
        com.fasterxml.jackson.databind.node.ObjectNode bCrit = summary.putObject("criticalBatchSize");
        bCrit.put("value", 13.2).put("low", 9.8).put("high", 17.5).put("method", "bootstrap-seeds");
        summary.put("noiseScaleAtTarget", 150.0).put("criticalToNoiseRatio", 13.2 / 150);
        summary.putObject("lrScaling").put("exponent", 0.52).put("shape", "square root");
        summary.putObject("earlyStops").put("runs", 3).put("steps", 4200).put("samples", 268_800)
                .put("fractionOfBudget", 0.35);
        summary.putArray("grid");
        summary.withArray("batchSizes").forEach(b -> {
            com.fasterxml.jackson.databind.node.ObjectNode row = (com.fasterxml.jackson.databind.node.ObjectNode) b;
            row.put("bestLearningRate", 0.2);
            row.put("noiseScaleAtTarget", 150.0);
        });
        ReportWriter.write(new ReportData(recorded.sweepId(), summary, recorded.sweep(), recorded.series()), dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## The study"), md);
        assertTrue(md.contains("Protocol: tuned."), md);
        assertTrue(md.contains("**B_crit ≈ 13** (95 % interval 10–18, bootstrap over seeds"), md);
        assertTrue(md.contains("**B_simple at the target ≈ 150**"), md);
        assertTrue(md.contains("B_crit/B_simple ≈ 0.09"), md);
        assertTrue(md.contains("lr* ∝ B^0.52, **square root**"), md);
        assertTrue(md.contains("saved 4,200 steps (35 % of the step budget) and 268,800 samples over 3 runs"), md);
        assertTrue(md.contains("| 16 | 0.2000 | 1 | 455 | 7,280 | 150 |"), md);
        // the table's learning rate is the best one; the fit paragraph compares B_crit with B_simple at the target
        assertTrue(md.contains("| 16 | 0.2000 | 1/1 |"), md);
        assertTrue(md.contains("where the runs reached the target is **B_simple ≈ 150**"), md);
        assertFalse(md.contains("B_noise"), md);
    }

    @Test
    void aSummaryFromBeforeTheStudyHasNoStudySection(@TempDir Path dir) throws IOException {
        ReportWriter.write(RecordedSweep.textbook(), dir);
        assertFalse(Files.readString(dir.resolve("report.md")).contains("## The study"));
    }
}

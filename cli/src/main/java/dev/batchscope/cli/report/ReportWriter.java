package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.render.Format;
import dev.batchscope.cli.render.Table;
import dev.batchscope.events.json.EventJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a sweep's report directory: the charts, {@code report.md}, {@code series.csv} and {@code summary.json}. */
public final class ReportWriter {
    public static final String MARKDOWN = "report.md";
    public static final String SUMMARY = "summary.json";

    private ReportWriter() {
    }

    /**
     * What was written.
     *
     * @param table          the per-batch-size table, for the terminal
     * @param recommendation the metrics-service's one line on what the sweep says
     */
    public record Report(Path dir, List<Path> files, Table table, String recommendation) {
    }

    public static Report write(ReportData data, Path dir) throws IOException {
        Files.createDirectories(dir);
        SweepFacts facts = SweepFacts.of(data);
        List<Path> files = new ArrayList<>(ReportCharts.render(data, facts, dir));
        files.add(SeriesCsv.write(data, facts, dir));
        files.add(writeSummary(data, facts, dir));
        FailureSummary failures = FailureSummary.of(data.sweep());
        files.add(writeMarkdown(data, facts, failures, dir));
        // when no run succeeded, every cell of the table would be a dash: the reasons say more
        return new Report(dir, files, failures.noRunSucceeded() ? failures.table() : BatchSizeRows.table(data.summary(), facts),
                data.summary().path("recommendation").asText(""));
    }

    /**
     * The metrics-service's summary as it was when the report was written, each batch size labelled as it was asked
     * for ("full (8192)") and with its learning rate, plus what the sweep was and which files the report holds.
     */
    private static Path writeSummary(ReportData data, SweepFacts facts, Path dir) throws IOException {
        ObjectNode summary = data.summary().isObject() ? ((ObjectNode) data.summary()).deepCopy()
                : EventJson.mapper().createObjectNode();
        for (JsonNode size : summary.path("batchSizes")) {
            int b = size.path("batchSize").asInt();
            ((ObjectNode) size).put("label", facts.sizeLabel(b));
            Double lr = BatchSizeRows.learningRate(data.summary(), b);
            if (lr != null) {
                ((ObjectNode) size).put("learningRate", lr);
            }
        }
        ObjectNode sweep = summary.putObject("sweep");
        sweep.put("state", facts.state());
        sweep.put("description", facts.description());
        sweep.put("learningRateScaling", facts.scaling());
        ObjectNode report = summary.putObject("report");
        report.put("generatedAt", Instant.now().toString());
        ArrayNode charts = report.putArray("charts");
        ReportCharts.CAPTIONS.forEach(c -> charts.add(c[0]));
        report.put("series", SeriesCsv.FILE);
        report.put("markdown", MARKDOWN);
        Path file = dir.resolve(SUMMARY);
        EventJson.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), summary);
        return file;
    }

    private static Path writeMarkdown(ReportData data, SweepFacts facts, FailureSummary failures, Path dir)
            throws IOException {
        JsonNode summary = data.summary();
        StringBuilder md = new StringBuilder();
        md.append("# Batch-size sweep ").append(facts.name() == null ? data.sweepId() : facts.name())
                .append(" (").append(data.sweepId()).append(")\n\n");
        md.append(facts.description()).append(".\n\n");
        md.append("State: ").append(facts.state() == null ? "unknown (scheduler not reachable)" : facts.state())
                .append(". ").append(summary.path("runs").size()).append(" runs. ");
        if (facts.targetLoss() != null) {
            md.append("Target loss: ").append(Format.number(facts.targetLoss())).append(" (measured on ")
                    .append(sourceText(facts.targetSource())).append(").");
        } else {
            md.append("No target loss was set, so there are no steps-to-target figures.");
        }
        md.append(" Report written ").append(Instant.now().toString(), 0, 19).append("Z.\n\n");

        md.append("## What it says\n\n").append(summary.path("recommendation").asText("-")).append("\n\n");

        md.append(failures.markdown());
        if (failures.noRunSucceeded()) {
            md.append("## Per batch size\n\nNo run succeeded, so there is nothing to compare; the reasons are above.\n\n");
        } else {
            md.append("## Per batch size\n\n").append(BatchSizeRows.markdown(summary, facts)).append('\n');
        }
        md.append("*learning rate*: the batch size's best one (fewest steps to the target); *steps/samples/s to "
                + "target*: at that learning rate, means over its seeds that reached the target, steps corrected for"
                + " the smoothing lag of the target criterion; the other columns are means over the runs of the batch"
                + " size. *final loss*: the EMA of the training loss at the end; *B_simple (end)*: the smoothed"
                + " gradient noise scale B_simple = tr(Σ)/|G|² at the end of training.\n\n");
        if (StudyLines.present(summary)) {
            md.append(StudyLines.markdown(summary, facts)).append('\n');
        }

        md.append("## Fit\n\n");
        JsonNode fit = summary.path("fit");
        if (fit.path("bCrit").isNumber()) {
            md.append(String.format(Locale.ROOT, "Over %d batch sizes, S = S_min(1 + B_crit/B) (and so E = S·B ="
                            + " E_min(1 + B/B_crit)) give **S_min = %,.0f steps**, **E_min = %,.0f samples** and"
                            + " **B_crit = E_min/S_min ≈ %,.0f**.",
                    fit.path("points").asInt(), fit.path("sMin").asDouble(), fit.path("eMin").asDouble(),
                    fit.path("bCrit").asDouble()));
            md.append(" Below B_crit a larger batch cuts the steps almost in proportion (nearly the same samples);"
                    + " above it, each doubling of the batch costs nearly twice the samples for few saved steps.");
        } else {
            md.append("No fit: it needs at least two batch sizes that reached the target loss, with steps falling as"
                    + " the batch grows.");
        }
        JsonNode atTarget = summary.path("noiseScaleAtTarget");
        JsonNode atEnd = summary.path("noiseScale");
        if (atTarget.isNumber()) {
            md.append(String.format(Locale.ROOT, " The gradient noise scale where the runs reached the target is"
                    + " **B_simple ≈ %,.0f**; McCandlish et al. (2018) predict B_crit ≈ B_simple when each batch size"
                    + " trains with its best learning rate.", atTarget.asDouble()));
        } else if (atEnd.isNumber()) {
            md.append(String.format(Locale.ROOT, " The gradient noise scale (mean over batch sizes, at the end"
                    + " of training) is **B_simple ≈ %,.0f**; McCandlish et al. (2018) predict B_crit ≈ B_simple at"
                    + " the target loss when each batch size trains with its best learning rate.", atEnd.asDouble()));
        }
        if ("none".equals(facts.scaling()) && fit.path("bCrit").isNumber()) {
            md.append(" Here every batch size trains with the same learning rate, so a large batch cannot take a larger"
                    + " step: its steps stop falling early, and B_crit comes out as the critical batch size *at this"
                    + " learning rate*, usually well below B_simple. Scaling the learning rate with the batch size"
                    + " (`batchscope demo --lr-scaling-arm`) moves it towards B_simple until the learning rate gets too"
                    + " large to be stable.");
        }
        md.append("\n\n## Charts\n\n");
        for (String[] chart : ReportCharts.CAPTIONS) {
            md.append("### ").append(chart[1]).append("\n\n![").append(chart[1]).append("](").append(chart[0])
                    .append(")\n\n");
        }
        md.append("## Files\n\n- `").append(SeriesCsv.FILE).append("`: every point of every series (")
                .append(String.join(", ", ReportData.METRICS)).append(") against step, samples and seconds\n")
                .append("- `").append(SUMMARY).append("`: the metrics-service's summary (one entry per run and per "
                        + "batch size, the (batch size, learning rate) grid, the fit, B_crit's interval, B_simple at the target, the recommendation)\n");
        Path file = dir.resolve(MARKDOWN);
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static String sourceText(String source) {
        if (source == null) {
            return "the training loss";
        }
        return switch (source) {
            case "train-loss-ema", "train_ema" -> "the EMA of the training loss";
            case "val-loss" -> "the validation loss";
            default -> source;
        };
    }
}

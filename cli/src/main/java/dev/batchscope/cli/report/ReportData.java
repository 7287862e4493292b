package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a report is made of: the metrics-service's summary and series of one sweep, and the sweep as the
 * scheduler knows it (its spec and the requested batch sizes such as "full"; null when the scheduler cannot be asked).
 */
public record ReportData(String sweepId, JsonNode summary, JsonNode sweep, Map<String, List<RunSeries>> series) {
    /** The series a report reads, each against every x axis (the CSV joins them point by point). */
    public static final List<String> METRICS = List.of("train_loss", "train_loss_ema", "val_loss", "val_accuracy",
            "noise_scale", "gradient_variance");
    public static final List<String> AXES = List.of("step", "samples", "seconds");
    /** More than the service keeps per series at full resolution, so the report gets every point it has. */
    static final int POINTS = 4096;

    public ReportData {
        series = Map.copyOf(series);
    }

    public static String key(String metric, String x) {
        return metric + "@" + x;
    }

    /** The runs' series of {@code metric} against {@code x}; empty when it was not fetched. */
    public List<RunSeries> series(String metric, String x) {
        return series.getOrDefault(key(metric, x), List.of());
    }

    public Optional<JsonNode> sweepDocument() {
        return Optional.ofNullable(sweep);
    }

    /**
     * Reads the sweep from the services. The metrics-service must answer; the scheduler only adds labels and the
     * spec, so a scheduler that cannot be reached is left out.
     */
    public static ReportData fetch(MetricsClient metrics, SchedulerClient scheduler, String sweepId) {
        JsonNode summary = metrics.summaryDocument(sweepId);
        Map<String, JsonNode> answers = new HashMap<>();
        for (String metric : METRICS) {
            for (String x : AXES) {
                answers.put(key(metric, x), metrics.series(sweepId, metric, x, POINTS));
            }
        }
        JsonNode sweep = null;
        if (scheduler != null) {
            try {
                sweep = scheduler.sweep(sweepId);
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE && e.exitCode() != ExitCodes.USAGE) {
                    throw e;
                }
            }
        }
        return of(sweepId, summary, sweep, answers);
    }

    /** From documents as the services serve them (series answers keyed by {@link #key}). */
    public static ReportData of(String sweepId, JsonNode summary, JsonNode sweep, Map<String, JsonNode> seriesAnswers) {
        Map<String, List<RunSeries>> series = new HashMap<>();
        seriesAnswers.forEach((key, answer) -> series.put(key, RunSeries.parse(answer)));
        return new ReportData(sweepId, summary, sweep, series);
    }
}

package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's gradient noise scale predicts, one line per run that measured one: McCandlish et al. (2018) find the
 * critical batch size near B_simple at the loss in question. At the target loss where the run reached it (the study's
 * question, docs/design.md section 7), else at the run's current smoothed loss.
 */
final class NoiseScalePrediction {
    private NoiseScalePrediction() {
    }

    /**
     * @param sweep   the scheduler's sweep (for the run labels r0, r1, ...)
     * @param summary the metrics-service's summary
     */
    static List<String> lines(JsonNode sweep, JsonNode summary) {
        Map<String, String> labels = new HashMap<>();
        sweep.path("runs").forEach(run -> labels.put(run.path("runId").asText(), SweepText.runLabel(run)));
        JsonNode target = summary.path("target").path("loss");
        List<String> lines = new ArrayList<>();
        for (JsonNode run : summary.path("runs")) {
            String label = labels.getOrDefault(run.path("runId").asText(), run.path("runId").asText());
            JsonNode atTarget = run.path("noiseScaleAtTarget");
            if (atTarget.isNumber() && target.isNumber()) {
                lines.add(line(label, target.asDouble(), atTarget.asDouble()));
            } else if (run.path("noiseScale").isNumber() && run.path("emaLoss").isNumber()) {
                lines.add(line(label, run.path("emaLoss").asDouble(), run.path("noiseScale").asDouble()));
            }
        }
        return lines;
    }

    static String line(String runLabel, double loss, double bSimple) {
        String x = Format.whole(bSimple);
        return runLabel + ": B_simple at loss " + Format.number(loss) + " ≈ " + x
                + ": expect a critical batch size near " + x;
    }
}

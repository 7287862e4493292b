package dev.batchscope.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsSummaryTest {

    @Test
    void readsPerRunFiguresUnderTheirUsualNames() throws Exception {
        MetricsSummary summary = MetricsSummary.parse(json("""
                {"sweepId": "sw-1", "runs": [
                  {"runId": "sw-1-r0", "batchSize": 16, "iterations": 120, "totalIterations": 300, "epoch": 1,
                   "loss": 0.52, "lossEma": 0.55, "noiseScale": 210.5, "samplesPerSecond": 3100.0},
                  {"runId": "sw-1-r1", "batchSize": "full", "iteration": 3, "trainLoss": {"last": 1.2, "best": 1.1},
                   "train_loss_ema": 1.25, "gradientNoiseScale": {"value": 99}}
                ]}
                """));
        MetricsSummary.Figures r0 = summary.figures("sw-1-r0", "16", 16).orElseThrow();
        assertEquals(new MetricsSummary.Figures(120L, 300L, 1L, 0.52, 0.55, 210.5, 3100.0), r0);
        MetricsSummary.Figures r1 = summary.figures("sw-1-r1", "full", 60000).orElseThrow();
        assertEquals(3L, r1.iterations());
        assertEquals(1.2, r1.loss());
        assertEquals(1.25, r1.lossEma());
        assertEquals(99.0, r1.noiseScale());
    }

    @Test
    void readsTheMetricsServicesSummaryShape() throws Exception {
        // the shape of metrics-service's SweepSummary (runs, batchSizes, fit), abridged
        MetricsSummary summary = MetricsSummary.parse(json("""
                {"sweepId": "sw-2", "name": "textbook", "runCount": 2, "complete": true,
                 "target": {"loss": 0.5, "source": "train_ema"},
                 "runs": [{"runId": "sw-2-r0", "batchSize": 16, "seed": 1, "learningRate": 0.05, "state": "RUNNING",
                           "attempt": 1, "iterations": 840, "budgetIterations": 11250, "epoch": 0, "samplesSeen": 13440,
                           "seconds": 12.5, "loss": 0.61, "emaLoss": 0.64, "bestEmaLoss": 0.63, "valLoss": null,
                           "noiseScale": 180.2, "gradientVariance": 3.1, "samplesPerSecond": 1075.2}],
                 "batchSizes": [{"batchSize": 16, "runs": 1, "finished": 0, "reachedTarget": 0, "finalLoss": 0.61,
                                 "noiseScale": 180.2}],
                 "fit": null, "noiseScale": 180.2, "recommendation": "too early to tell"}
                """));
        assertEquals(new MetricsSummary.Figures(840L, 11250L, 0L, 0.61, 0.64, 180.2, 1075.2),
                summary.figures("sw-2-r0", "16", 16).orElseThrow());
        assertEquals(0.61, summary.figures("sw-2-r1", "16", null).orElseThrow().loss(), "its batch size, for a run not listed");
    }

    @Test
    void fallsBackToPerBatchSizeEntries() throws Exception {
        MetricsSummary summary = MetricsSummary.parse(json("""
                {"batchSizes": [{"batchSize": 32, "finalLoss": 0.4, "noiseScale": 512},
                                {"batchSize": "full", "finalLoss": 0.9}],
                 "fit": {"sMin": 100, "eMin": 3000, "bCrit": 30}}
                """));
        assertEquals(0.4, summary.figures("sw-1-r2", "32", null).orElseThrow().loss());
        assertEquals(0.9, summary.figures("sw-1-r5", "full", 60000).orElseThrow().loss());
        assertEquals(512.0, summary.figures("sw-1-r9", "64", 32).orElseThrow().noiseScale(), "by effective size");
        assertTrue(summary.figures("sw-1-r3", "128", 128).isEmpty());
    }

    @Test
    void aDocumentOfAnotherShapeGivesNoFiguresRatherThanAnError() throws Exception {
        assertTrue(MetricsSummary.parse(json("[1, 2, \"three\", {\"nothing\": true}]")).isEmpty());
        assertTrue(MetricsSummary.parse(json("\"just text\"")).isEmpty());
    }

    private static JsonNode json(String text) throws Exception {
        return EventJson.mapper().readTree(text);
    }
}

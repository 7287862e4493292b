package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NoiseScalePredictionTest {

    private static JsonNode json(String text) throws IOException {
        return EventJson.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void predictsFromBSimpleAtTheTargetElseAtTheCurrentLoss() throws IOException {
        JsonNode sweep = json("{'runs': [{'runId': 'a', 'index': 0}, {'runId': 'b', 'index': 1},"
                + " {'runId': 'c', 'index': 2}]}");
        JsonNode summary = json("{'target': {'loss': 0.5}, 'runs': ["
                + "{'runId': 'a', 'emaLoss': 0.42, 'noiseScale': 190.4, 'noiseScaleAtTarget': 171.2},"
                + "{'runId': 'b', 'emaLoss': 0.61, 'noiseScale': 150.0, 'noiseScaleAtTarget': null},"
                + "{'runId': 'c', 'emaLoss': 0.9, 'noiseScale': null}]}");
        assertEquals(List.of(
                "r0: B_simple at loss 0.5000 ≈ 171: expect a critical batch size near 171",
                "r1: B_simple at loss 0.6100 ≈ 150: expect a critical batch size near 150"),
                NoiseScalePrediction.lines(sweep, summary));
    }
}

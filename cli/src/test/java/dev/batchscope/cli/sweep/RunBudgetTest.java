package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RunBudgetTest {

    @Test
    void aStepBudgetIsExact() throws Exception {
        assertEquals(500L, RunBudget.iterations(run("{\"budget\": {\"steps\": 500}}", "16", null), null));
    }

    @Test
    void epochsOfFashionMnistUseItsSixtyThousandTrainingImagesInWholeBatches() throws Exception {
        JsonNode run = run("{\"dataset\": {\"name\": \"fashion-mnist\"}, \"budget\": {\"epochs\": 3}}", "128", null);
        // the trainer skips an epoch's last partial batch: floor(60,000 / 128) = 468 steps per epoch, not 469
        assertEquals(3L * 468, RunBudget.iterations(run, null));
        JsonNode full = run("{\"dataset\": {\"name\": \"fashion-mnist\", \"samples\": 6000}, \"budget\": {\"epochs\": 3}}", "\"full\"", null);
        assertEquals(3L, RunBudget.iterations(full, null), "one step per epoch at full batch");
    }

    @Test
    void theEffectiveBatchSizeAndTheMetricsServicesFigureWin() throws Exception {
        JsonNode run = run("{\"dataset\": {\"name\": \"synthetic-blobs\", \"samples\": 1000}, \"budget\": {\"epochs\": 2}}", "\"full\"", 900);
        assertEquals(2L, RunBudget.iterations(run, null));
        assertEquals(77L, RunBudget.iterations(run, 77L));
    }

    @Test
    void unknownWithoutADatasetSize() throws Exception {
        assertNull(RunBudget.iterations(run("{\"dataset\": {\"name\": \"csv\"}, \"budget\": {\"epochs\": 2}}", "16", null), null));
    }

    private static JsonNode run(String spec, String batchSize, Integer effective) throws Exception {
        return EventJson.mapper().readTree("{\"batchSize\": " + batchSize + ", \"spec\": " + spec
                + (effective == null ? "" : ", \"effectiveBatchSize\": " + effective) + "}");
    }
}

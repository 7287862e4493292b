package dev.batchscope.events.json;

import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidInputTest {

    @Test
    void yamlSweepExpandsToOneRunPerBatchSizeAndSeed() {
        String yaml = """
                name: textbook
                dataset: {name: fashion-mnist, samples: 6000}
                model: {type: mlp, hidden: [64]}
                batchSizes: [16, 32, 64, 128, 256, full]
                seeds: [1, 2]
                learningRate: {base: 0.05, scaling: linear, baseBatchSize: 16}
                budget: {epochs: 2}
                targetLoss: 0.6
                """;
        SweepSpec sweep = EventJson.readSweepYaml(yaml.getBytes(StandardCharsets.UTF_8));
        List<RunSpec> runs = sweep.expand();
        assertEquals(12, runs.size());
        assertEquals(BatchSize.FULL, runs.get(11).batchSize());
        assertEquals(2L, runs.get(11).seed());
        assertEquals(LrScaling.LINEAR, runs.get(0).learningRate().scaling());
        assertEquals(0.4, runs.get(0).learningRate().forBatchSize(128), 1e-12);
        assertEquals(4, runs.get(0).noise().microBatches(), "defaults are filled in");
    }

    /** A per-example measurement has one "micro-batch" per example, far more than the 64 micro-batches k may be. */
    @Test
    void noiseMeasurementsCarryTheirMethodAndOldRecordsReadAsMicroBatches() {
        String iteration = """
                {"type":"IterationMetrics","schemaVersion":1,"runId":"sw-1-r0","sweepId":"sw-1",
                 "emittedAt":"2026-11-26T12:00:00Z","attempt":1,"iteration":5,"epoch":0,"samplesSeen":1280,
                 "loss":2.1,"gradNorm":1.2,"learningRate":0.05,"elapsedMs":50,"samplesPerSecond":3200.0,
                 "noise":{%s"microBatches":%d,"microBatchSize":%d,"gradVariance":0.8,"traceSigma":0.8,"gradNormSqUnbiased":0.2}}""";
        IterationMetrics perExample = (IterationMetrics) EventJson.readEvent(
                iteration.formatted("\"method\":\"per-example\",", 256, 1).getBytes(StandardCharsets.UTF_8));
        assertEquals(NoiseMethod.PER_EXAMPLE, perExample.noise().method());
        assertEquals(256, perExample.noise().microBatches());
        IterationMetrics old = (IterationMetrics) EventJson.readEvent(iteration.formatted("", 4, 64).getBytes(StandardCharsets.UTF_8));
        assertEquals(NoiseMethod.MICRO_BATCHES, old.noise().method());
        assertTrue(EventJson.writeString(perExample).contains("\"method\":\"per-example\""));
    }

    @Test
    void severalViolationsAreReportedTogether() {
        String json = """
                {"name":"bad name","dataset":{"name":"fashion-mnist"},"model":{"type":"mlp"},
                 "batchSizes":[0],"learningRate":{"base":-1},"budget":{}}""";
        ValidationException e = assertThrows(ValidationException.class,
                () -> EventJson.readSweepJson(json.getBytes(StandardCharsets.UTF_8)));
        List<String> fields = e.violations().stream().map(v -> v.field()).toList();
        assertTrue(fields.containsAll(List.of("name", "batchSizes[0]", "learningRate.base", "budget")), fields.toString());
    }

    @Test
    void oversizedDocumentIsRefusedBeforeParsing() {
        byte[] big = new byte[EventJson.MAX_DOCUMENT_BYTES + 1];
        ValidationException e = assertThrows(ValidationException.class, () -> EventJson.readSweepJson(big));
        assertEquals("(body)", e.violations().get(0).field());
    }
}

package dev.batchscope.events.json;

import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.LrScaling;
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

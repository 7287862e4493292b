package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import dev.batchscope.testing.ExampleSpecs;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.process.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep submit --dry-run}: the runs of the spec with the steps the trainer will take, and nothing sent. The
 * scheduler URL points at a port where nothing listens: any attempt to send would exit 3.
 */
class SweepDryRunTest {
    private static final String NOBODY = "http://127.0.0.1:" + ServiceProcess.freePort();

    @Test
    void theTextbookSweepShowsSixRunsWithTheStepsItsTrainerTookWhenItTrainedThem(@TempDir Path dir) throws IOException {
        // recorded from a real stack: the scheduler's sweep (its spec) and the metrics-service's summary, whose
        // iterations are what the trainer reported for each run that trained to its budget
        JsonNode sweep = recorded("sweep.json");
        JsonNode summary = recorded("summary.json");
        ObjectNode spec = (ObjectNode) sweep.path("runs").get(0).path("spec").deepCopy();
        spec.remove("batchSize");
        spec.remove("seed");
        spec.put("name", sweep.path("name").asText());
        ArrayNode sizes = spec.putArray("batchSizes");
        sweep.path("runs").forEach(run -> sizes.add(run.path("batchSize")));
        spec.putArray("seeds").add(1);
        Path file = Files.writeString(dir.resolve("textbook.json"), spec.toString());

        CliRun run = CliRun.of("--scheduler-url", NOBODY, "-o", "json", "sweep", "submit", "--dry-run", "-f",
                file.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        JsonNode plan = EventJson.mapper().readTree(run.out());
        assertEquals(6, plan.path("runCount").asInt());
        assertEquals(6, plan.path("runs").size());
        Map<Long, Long> trained = new LinkedHashMap<>();
        for (JsonNode row : summary.path("runs")) {
            assertEquals("SUCCEEDED", row.path("state").asText(), "every recorded run trained to its budget");
            trained.put(row.path("batchSize").asLong(), row.path("iterations").asLong());
        }
        Map<Long, Long> planned = new LinkedHashMap<>();
        for (JsonNode row : plan.path("runs")) {
            planned.put(row.path("effectiveBatchSize").asLong(), row.path("steps").asLong());
        }
        assertEquals(trained, planned, "steps per effective batch size: trained vs dry run");
        assertEquals(1870, planned.get(64L), "64 does not divide 12,000: the trainer skips the partial batch");
    }

    @Test
    void theDemosTextbookSweepPrintsEachRunsBatchRateSeedStepsAndSamples() {
        CliRun run = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--dry-run", "-f",
                ExampleSpecs.path("textbook.yaml").toString(), "--samples-per-second", "2000");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).contains("textbook-same-lr") && lines.get(0).contains("10000 training examples")
                && lines.get(0).contains("nothing was sent"), run.out());
        assertEquals(List.of("RUN", "BATCH", "SIZE", "LEARNING", "RATE", "SEED", "STEPS", "SAMPLES"),
                List.of(lines.get(1).trim().split("\\s+")));
        // 8 epochs of floor(10,000 / B) whole batches
        List<List<String>> expected = List.of(
                List.of("r0", "16", "0.1000", "1", "5000", "80000"),
                List.of("r1", "32", "0.1000", "1", "2496", "79872"),
                List.of("r2", "64", "0.1000", "1", "1248", "79872"),
                List.of("r3", "128", "0.1000", "1", "624", "79872"),
                List.of("r4", "256", "0.1000", "1", "312", "79872"),
                List.of("r5", "full", "(10000)", "0.1000", "1", "8", "80000"));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), List.of(lines.get(2 + i).trim().split("\\s+")), run.out());
        }
        // 479,488 samples at 2,000 per second
        assertEquals("6 runs, 479488 samples in all; about 0h 04m 00s on one trainer at 2000 samples/s", lines.get(8));
    }

    @Test
    void scalingShowsTheLearningRateOfEachBatchSizeAndJsonSaysTheSameAsTheTable() throws IOException {
        String file = ExampleSpecs.path("textbook-linear-lr.yaml").toString();
        CliRun json = CliRun.of("--scheduler-url", NOBODY, "-o", "json", "sweep", "submit", "--dry-run", "-f", file);
        assertEquals(ExitCodes.OK, json.exitCode(), json.toString());
        JsonNode plan = EventJson.mapper().readTree(json.out());
        double[] expectedRates = {0.05, 0.1, 0.2, 0.4, 0.8, 0.1 * 10000 / 32};
        for (int i = 0; i < expectedRates.length; i++) {
            assertEquals(expectedRates[i], plan.path("runs").get(i).path("learningRate").asDouble(), 1e-12);
        }
        assertTrue(plan.path("wallSeconds").isNull(), "no throughput given: " + plan);

        CliRun table = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--dry-run", "-f", file);
        List<String> rows = table.out().lines().skip(2).limit(6).toList();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = plan.path("runs").get(i);
            List<String> cells = List.of(rows.get(i).trim().split("\\s+"));
            assertEquals(row.path("steps").asText(), cells.get(cells.size() - 2), rows.get(i));
            assertEquals(row.path("samples").asText(), cells.get(cells.size() - 1), rows.get(i));
        }
    }

    @Test
    void aTunedStudyListsEveryCandidateOfEveryBatchSizeCentredByItsScalingRule() throws IOException {
        CliRun run = CliRun.of("--scheduler-url", NOBODY, "-o", "json", "sweep", "submit", "--dry-run", "-f",
                ExampleSpecs.path("tuned-study.yaml").toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        JsonNode plan = EventJson.mapper().readTree(run.out());
        assertEquals("tuned", plan.path("protocol").asText());
        assertTrue(plan.path("stepsAreUpperBounds").asBoolean(), "runs stop at the target: " + plan);
        assertEquals(15, plan.path("runCount").asInt());
        double[] candidates = {0.01, Math.sqrt(0.1) * 0.1, 0.1, Math.sqrt(0.1), 1.0};
        int[] sizes = {16, 64, 256};
        for (int b = 0; b < sizes.length; b++) {
            for (int c = 0; c < candidates.length; c++) {
                JsonNode row = plan.path("runs").get(b * candidates.length + c);
                assertEquals(sizes[b], row.path("batchSize").asInt(), row.toString());
                assertEquals(candidates[c] * Math.sqrt(sizes[b] / 32.0), row.path("learningRate").asDouble(),
                        1e-9 * candidates[c], row.toString());
                assertEquals(8L * (10_000 / sizes[b]), row.path("steps").asLong(), "the budget, a cap: " + row);
            }
        }

        CliRun table = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--dry-run", "-f",
                ExampleSpecs.path("tuned-study.yaml").toString());
        assertTrue(table.out().lines().findFirst().orElseThrow().contains("protocol tuned: 5 learning rates per batch size"),
                table.out());
        assertTrue(table.out().contains("steps and samples are upper bounds; pruning stops the runs that cannot win at 1.5 x"),
                table.out());
    }

    @Test
    void whereOnlyTheDataCanTellTheStepsStayUnknown(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("csv.yaml"), """
                name: csv-sweep
                dataset: {name: csv, path: my-data.csv}
                model: {type: logreg}
                batchSizes: [32, full]
                learningRate: {base: 0.1}
                budget: {epochs: 2}
                """);
        CliRun run = CliRun.of("--scheduler-url", NOBODY, "-o", "json", "sweep", "submit", "--dry-run", "-f",
                file.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        JsonNode plan = EventJson.mapper().readTree(run.out());
        assertEquals(32, plan.path("runs").get(0).path("effectiveBatchSize").asInt());
        assertTrue(plan.path("runs").get(0).path("steps").isNull(), "epochs of a csv file: " + plan);
        assertTrue(plan.path("runs").get(1).path("effectiveBatchSize").isNull(), "full batch of a csv file: " + plan);
        assertTrue(plan.path("totalSamples").isNull(), plan.toString());

        CliRun table = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--dry-run", "-f", file.toString());
        assertTrue(table.out().contains("2 runs, samples unknown (the data decides) in all"), table.out());
    }

    @Test
    void aBadSpecExitsTwoWithEveryViolationAndNothingIsSent() {
        CliRun run = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--dry-run", "--batch-sizes", "16,-3,16",
                "--lr-scaling", "cubic");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("the spec from the flags is not a valid sweep spec:"), run.err());
        assertTrue(run.err().contains("learningRate.scaling: \"cubic\" is not allowed; one of [none, linear, sqrt]"),
                run.err());
        assertTrue(run.err().contains("nothing was sent"), run.err());

        CliRun sizes = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--batch-sizes", "16,-3,16");
        assertEquals(ExitCodes.USAGE, sizes.exitCode(), "refused before the unreachable scheduler: " + sizes);
        assertTrue(sizes.err().contains("batchSizes[1]: must be a positive integer (1..1048576) or \"full\", got -3")
                && sizes.err().contains("batchSizes[2]: duplicates batch size 16"), sizes.err());
    }

    private static JsonNode recorded(String name) throws IOException {
        try (InputStream in = SweepDryRunTest.class.getResourceAsStream("/report/textbook/" + name)) {
            return EventJson.mapper().readTree(in);
        }
    }
}

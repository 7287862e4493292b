package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import dev.batchscope.testing.ExampleSpecs;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sweep validate}: the scheduler's rules without a scheduler, exit 0 or 2, for CI pipelines. */
class SweepValidateCommandTest {

    @Test
    void everyExampleSpecOfTheRepositoryIsValid() throws IOException {
        List<String> args = new ArrayList<>(List.of("sweep", "validate"));
        for (Path example : ExampleSpecs.all()) {
            args.add("-f");
            args.add(example.toString());
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        for (Path example : ExampleSpecs.all()) {
            assertTrue(run.out().contains(example + ": valid sweep "), run.out());
        }
        assertTrue(run.out().contains("examples/textbook.yaml: valid sweep textbook-same-lr, 6 runs"), run.out());
    }

    @Test
    void anInvalidFileAmongValidOnesExitsTwoNamingTheFileAndEveryField(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                name: bad sweep
                dataset: {name: synthetic-blobs}
                model: {type: mlp, hidden: [16]}
                batchSizes: [64, 64]
                learningRate: {base: 0.05, scaling: cubic}
                budget: {epochs: 1}
                """);
        CliRun run = CliRun.of("sweep", "validate", "-f", ExampleSpecs.path("textbook.yaml").toString(),
                bad.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.out().contains(bad + " is not a valid sweep spec:"), run.out());
        assertTrue(run.out().contains("  learningRate.scaling: \"cubic\" is not allowed; one of [none, linear, sqrt]"),
                run.out());
        assertTrue(run.out().contains("textbook.yaml: valid sweep"), "the valid file is still reported: " + run.out());

        // a value Jackson cannot read (the scaling rule) stops before the rules; with it fixed, the rules name the rest
        Path named = Files.writeString(dir.resolve("named.yaml"),
                Files.readString(bad).replace("scaling: cubic", "scaling: none"));
        CliRun again = CliRun.of("sweep", "validate", "-f", named.toString());
        assertEquals(ExitCodes.USAGE, again.exitCode(), again.toString());
        assertTrue(again.out().contains("  name: must be 1-64 characters") && again.out().contains(
                "  batchSizes[1]: duplicates batch size 64"), again.out());
    }

    @Test
    void jsonOutputListsEachFileWithItsViolations(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\", \"budget\": {\"epochs\": 0}}");
        CliRun run = CliRun.of("-o", "json", "sweep", "validate", "-f", bad.toString(),
                ExampleSpecs.path("analytic-noise.json").toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        JsonNode results = EventJson.mapper().readTree(run.out());
        assertEquals(2, results.size());
        assertFalse(results.get(0).path("valid").asBoolean());
        List<String> fields = new ArrayList<>();
        results.get(0).path("violations").forEach(v -> fields.add(v.path("field").asText()));
        assertTrue(fields.containsAll(List.of("batchSizes", "dataset", "model", "learningRate", "budget.epochs")),
                fields.toString());
        assertTrue(results.get(1).path("valid").asBoolean());
        assertEquals(3, results.get(1).path("runCount").asInt());
    }

    @Test
    void aDashReadsStandardInputAsTheSchedulerReadsAnUntypedBody() throws IOException {
        InputStream before = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(ExampleSpecs.path("analytic-noise.json"))));
            CliRun json = CliRun.of("sweep", "validate", "-f", "-");
            assertEquals(ExitCodes.OK, json.exitCode(), json.toString());
            assertTrue(json.out().contains("standard input: valid sweep analytic-noise, 3 runs"), json.out());

            // JSON is read as JSON, where a number is not text; the same document as YAML would pass
            System.setIn(new ByteArrayInputStream("{\"name\": 2024}".getBytes(StandardCharsets.UTF_8)));
            CliRun number = CliRun.of("sweep", "validate", "-f", "-");
            assertEquals(ExitCodes.USAGE, number.exitCode(), number.toString());
            assertTrue(number.out().contains("  name: has the wrong type; expected a string"), number.out());
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void aMissingFileOrNoFileIsBadUsage(@TempDir Path dir) {
        CliRun missing = CliRun.of("sweep", "validate", "-f", dir.resolve("nope.yaml").toString());
        assertEquals(ExitCodes.USAGE, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("nope.yaml: no such file"), missing.err());
        CliRun none = CliRun.of("sweep", "validate");
        assertEquals(ExitCodes.USAGE, none.exitCode(), none.toString());
        assertTrue(none.err().contains("--file"), none.err());
    }
}

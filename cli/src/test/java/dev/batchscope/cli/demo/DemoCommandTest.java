package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.BatchscopeCommand;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import dev.batchscope.testing.ExampleSpecs;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.SweepSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoCommandTest {

    @Test
    void theTextbookSweepIsAValidSpecWithTheSameLearningRateForEveryBatchSize() throws Exception {
        ObjectNode spec = new TextbookSweep("textbook-same-lr", 12_000, List.of(256, 128),
                List.of("16", "32", "64", "128", "256", "full"), 0.1, "none", 32, 0, 10, 0.5, List.of(1L), 10).toSpec();
        SweepSpec sweep = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(spec));
        assertEquals(6, sweep.expand().size());
        assertEquals("full", sweep.batchSizes().get(5).toString().toLowerCase());
        assertEquals(LrScaling.NONE, sweep.learningRate().scaling());
        sweep.expand().forEach(run -> assertEquals(0.1, run.learningRate().forBatchSize(64), 1e-12));
        assertEquals(12_000, sweep.dataset().samples());
        assertEquals(0.5, sweep.targetLoss());
    }

    @Test
    void theScalingArmGrowsTheLearningRateInProportionFromBatch32AfterAWarmup() throws Exception {
        ObjectNode spec = new TextbookSweep("textbook-linear-lr", null, List.of(256, 128), List.of("16", "256"), 0.1,
                "linear", 32, 1, 10, 0.5, List.of(1L, 2L), 10).toSpec();
        SweepSpec sweep = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(spec));
        assertEquals(0.05, sweep.learningRate().forBatchSize(16), 1e-12);
        assertEquals(0.8, sweep.learningRate().forBatchSize(256), 1e-12);
        assertEquals(1, sweep.learningRate().warmup().epochs());
        assertEquals(null, sweep.dataset().samples(), "--full: all 60,000 images");
        assertEquals(4, sweep.expand().size());
    }

    @Test
    void theReportWaitsUntilTheMetricsServiceHasEveryRunsEnd() throws Exception {
        assertFalse(DemoCommand.settled(json("{\"runCount\": 2, \"runs\": [{\"state\": \"SUCCEEDED\"}]}")));
        assertFalse(DemoCommand.settled(json("{\"runCount\": 1, \"runs\": [{\"state\": \"RUNNING\"}]}")));
        assertFalse(DemoCommand.settled(json("{\"runCount\": 1, \"runs\": [{\"state\": \"SUCCEEDED\", "
                + "\"iterations\": 90, \"budgetIterations\": 100}]}")), "the last iterations are still on their way");
        assertTrue(DemoCommand.settled(json("{\"runCount\": 2, \"runs\": [{\"state\": \"SUCCEEDED\", "
                + "\"iterations\": 100, \"budgetIterations\": 100}, {\"state\": \"FAILED\", \"iterations\": 3}]}")));
    }

    @Test
    void divergedRunsAreToldApartFromOtherFailures() throws Exception {
        JsonNode sweep = json("{\"runs\": [{\"batchSize\": 16, \"state\": \"SUCCEEDED\"},"
                + "{\"batchSize\": \"full\", \"state\": \"FAILED\", \"reason\": \"gradient became Infinity at iteration 5"
                + " (learning rate 37.5): training diverged; try a lower learning rate\"},"
                + "{\"batchSize\": 256, \"state\": \"FAILED\", \"reason\": \"trainer lost\"}]}");
        assertEquals(List.of("full"), DemoCommand.diverged(sweep));
    }

    @Test
    void badFlagsExitTwoNamingTheFlagAndTheFieldBeforeAnythingStarts() {
        CliRun samples = CliRun.of("demo", "--samples", "70000");
        assertEquals(ExitCodes.USAGE, samples.exitCode(), samples.toString());
        assertTrue(samples.err().contains("--samples: Fashion-MNIST has 60000 training images, got 70000"),
                samples.err());
        for (String[] args : List.of(new String[]{"demo", "--epochs", "0", "budget.epochs"},
                new String[]{"demo", "--batch-sizes", "16,huge", "batchSizes[1]"},
                new String[]{"demo", "--lr", "-1", "learningRate.base"},
                new String[]{"demo", "--samples", "1", "dataset.samples"})) {
            CliRun run = CliRun.of(args[0], args[1], args[2]);
            assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
            assertTrue(run.err().contains("nothing was started")
                    && run.err().contains(args[1] + " for " + args[3] + ": "), "names the flag and the field: " + run.err());
        }
    }

    @Test
    void theDemosDefaultSweepIsTheExampleTextbookSpec() throws Exception {
        CommandLine commandLine = BatchscopeCommand.newCommandLine();
        commandLine.parseArgs("demo");
        DemoCommand demo = commandLine.getSubcommands().get("demo").getCommand();
        List<TextbookSweep> sweeps = demo.sweeps();
        assertEquals(1, sweeps.size());
        SweepSpec fromDemo = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(sweeps.get(0).toSpec()));
        SweepSpec example = EventJson.readSweepYaml(Files.readAllBytes(ExampleSpecs.path("textbook.yaml")));
        assertEquals(example, fromDemo, "examples/textbook.yaml shows what `batchscope demo` submits");

        commandLine.parseArgs("demo", "--lr-scaling-arm");
        SweepSpec arm = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(demo.sweeps().get(1).toSpec()));
        assertEquals(EventJson.readSweepYaml(Files.readAllBytes(ExampleSpecs.path("textbook-linear-lr.yaml"))), arm);
    }

    private static JsonNode json(String text) throws Exception {
        return EventJson.mapper().readTree(text);
    }
}

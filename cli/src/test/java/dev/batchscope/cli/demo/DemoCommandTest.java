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
        ObjectNode spec = new DemoSweep("textbook-same-lr", 12_000, List.of(256, 128),
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
        ObjectNode spec = new DemoSweep("textbook-linear-lr", null, List.of(256, 128), List.of("16", "256"), 0.1,
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
        JsonNode noOutcomes = json("{\"runs\": []}");
        assertFalse(DemoCommand.settled(json("{\"runCount\": 2, \"runs\": [{\"state\": \"SUCCEEDED\"}]}"), noOutcomes));
        assertFalse(DemoCommand.settled(json("{\"runCount\": 1, \"runs\": [{\"state\": \"RUNNING\"}]}"), noOutcomes));
        assertFalse(DemoCommand.settled(json("{\"runCount\": 1, \"runs\": [{\"state\": \"SUCCEEDED\", "
                + "\"iterations\": 90, \"budgetIterations\": 100}]}"), noOutcomes),
                "the last iterations are still on their way");
        assertTrue(DemoCommand.settled(json("{\"runCount\": 3, \"runs\": [{\"state\": \"SUCCEEDED\", "
                + "\"iterations\": 100, \"budgetIterations\": 100}, {\"state\": \"FAILED\", \"iterations\": 3},"
                + "{\"state\": \"DIVERGED\", \"iterations\": 7, \"budgetIterations\": 100}]}"), noOutcomes));
    }

    @Test
    void aRunThatStoppedEarlyIsSettledAtItsStopNotAtItsBudget() throws Exception {
        JsonNode sweep = json("{\"runs\": [{\"runId\": \"a\", \"outcome\": \"reached-target\", \"reachedTargetAt\": 40},"
                + "{\"runId\": \"b\", \"outcome\": \"pruned\"}]}");
        assertFalse(DemoCommand.settled(json("{\"runCount\": 2, \"runs\": ["
                + "{\"runId\": \"a\", \"state\": \"SUCCEEDED\", \"iterations\": 30, \"budgetIterations\": 100},"
                + "{\"runId\": \"b\", \"state\": \"SUCCEEDED\", \"iterations\": 60, \"budgetIterations\": 100}]}"), sweep),
                "the crossing at 40 has not arrived");
        assertTrue(DemoCommand.settled(json("{\"runCount\": 2, \"runs\": ["
                + "{\"runId\": \"a\", \"state\": \"SUCCEEDED\", \"iterations\": 40, \"budgetIterations\": 100},"
                + "{\"runId\": \"b\", \"state\": \"SUCCEEDED\", \"iterations\": 60, \"budgetIterations\": 100}]}"), sweep));
    }

    @Test
    void divergedRunsAreToldApartFromOtherFailures() throws Exception {
        JsonNode sweep = json("{\"runs\": [{\"batchSize\": 16, \"state\": \"SUCCEEDED\"},"
                + "{\"batchSize\": \"full\", \"state\": \"DIVERGED\", \"learningRate\": 2.5},"
                + "{\"batchSize\": 256, \"state\": \"FAILED\", \"reason\": \"training diverged, said a trainer\"}]}");
        assertEquals(List.of("full at lr 2.500"), DemoCommand.diverged(sweep));
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
        List<DemoSweep> sweeps = demo.sweeps();
        assertEquals(2, sweeps.size(), "the textbook, then the study");
        SweepSpec fromDemo = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(sweeps.get(0).toSpec()));
        SweepSpec example = EventJson.readSweepYaml(Files.readAllBytes(ExampleSpecs.path("textbook.yaml")));
        assertEquals(example, fromDemo, "examples/textbook.yaml shows what `batchscope demo` submits");

        SweepSpec study = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(sweeps.get(1).toSpec()));
        assertEquals(EventJson.readSweepYaml(Files.readAllBytes(ExampleSpecs.path("demo-study.yaml"))), study,
                "examples/demo-study.yaml shows the study `batchscope demo` submits after the textbook");
        assertEquals(8 * 4, sweeps.get(1).runCount());

        commandLine.parseArgs("demo", "--lr-scaling-arm");
        SweepSpec arm = EventJson.readSweepJson(EventJson.mapper().writeValueAsBytes(demo.sweeps().get(1).toSpec()));
        assertEquals(EventJson.readSweepYaml(Files.readAllBytes(ExampleSpecs.path("textbook-linear-lr.yaml"))), arm);

        commandLine.parseArgs("demo", "--no-study");
        assertEquals(1, demo.sweeps().size(), "--no-study: the textbook only");
    }

    private static JsonNode json(String text) throws Exception {
        return EventJson.mapper().readTree(text);
    }
}

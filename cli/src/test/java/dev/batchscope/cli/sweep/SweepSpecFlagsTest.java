package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.process.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The study's flags of {@code sweep submit}: the spec they assemble, and their mistakes refused here (exit 2) naming
 * the flag, and the spec field where the validator found it. The scheduler URL points where nothing listens.
 */
class SweepSpecFlagsTest {
    private static final String NOBODY = "http://127.0.0.1:" + ServiceProcess.freePort();
    private static final List<String> TUNED = List.of("--batch-sizes", "16,64,256", "--dataset", "synthetic-blobs",
            "--protocol", "tuned", "--target-loss", "0.5");

    @Command
    static class Holder {
        @Mixin
        SweepSpecFlags flags;
    }

    private static ObjectNode spec(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.flags.toSpec();
    }

    @Test
    void aGridReplacesTheBaseRateAndStoppingAndPruningAreAsGiven() {
        ObjectNode spec = spec("--batch-sizes", "16,64", "--protocol", "tuned", "--lr-grid", "0.01,0.03,0.1",
                "--target-loss", "0.5", "--no-stop-at-target", "--pruning", "none");
        assertEquals("tuned", spec.path("protocol").asText());
        assertEquals("[0.01,0.03,0.1]", spec.path("learningRate").path("grid").toString());
        assertFalse(spec.path("learningRate").has("base"), spec.toString());
        assertFalse(spec.path("learningRate").has("search"), spec.toString());
        assertEquals(false, spec.path("stopAtTarget").booleanValue());
        assertEquals("{\"rule\":\"none\"}", spec.path("pruning").toString());
    }

    @Test
    void aSearchIsItsThreeNumbersAndAMarginIsAfterTheColon() {
        ObjectNode spec = spec("--batch-sizes", "16", "--protocol", "tuned", "--lr-search", "0.01:1:5",
                "--stop-at-target", "--pruning", "margin:2");
        assertEquals("{\"min\":0.01,\"max\":1.0,\"count\":5}", spec.path("learningRate").path("search").toString());
        assertTrue(spec.path("stopAtTarget").booleanValue());
        assertEquals("{\"rule\":\"margin\",\"margin\":2.0}", spec.path("pruning").toString());
        assertEquals("{\"rule\":\"margin\"}", spec("--batch-sizes", "16", "--pruning", "margin").path("pruning").toString(),
                "no margin: the spec's default");
    }

    @Test
    void withoutTheStudyFlagsTheSpecIsTheTextbooksAsBefore() {
        ObjectNode spec = spec("--batch-sizes", "16");
        assertEquals(0.05, spec.path("learningRate").path("base").asDouble());
        for (String field : List.of("protocol", "stopAtTarget", "pruning")) {
            assertFalse(spec.has(field), field + " in " + spec);
        }
    }

    @Test
    void aTunedStudyFromFlagsDryRunsEveryCandidateOfEveryBatchSize() throws IOException {
        List<String> args = new ArrayList<>(List.of("--scheduler-url", NOBODY, "-o", "json", "sweep", "submit", "--dry-run"));
        args.addAll(TUNED);
        args.addAll(List.of("--lr-search", "0.01:1:5", "--pruning", "margin:2"));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        JsonNode plan = EventJson.mapper().readTree(run.out());
        assertEquals("tuned", plan.path("protocol").asText());
        assertEquals(15, plan.path("runCount").asInt());
        assertTrue(plan.path("stopAtTarget").asBoolean(), "tuned stops at the target by default: " + plan);
        assertEquals(1.0, plan.path("runs").get(4).path("learningRate").asDouble(), 1e-12, "scaling none: the max");
        assertTrue(plan.path("pruning").toString().contains("2.0"), plan.path("pruning").toString());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                arguments(List.of("--lr-search", "0.01:1"), "Invalid value for option '--lr-search'", "MIN:MAX:COUNT"),
                arguments(List.of("--lr-search", "0.01:1:many"), "Invalid value for option '--lr-search'", "whole number"),
                arguments(List.of("--lr-grid", "0.1,fast"), "Invalid value for option '--lr-grid'", "fast"),
                arguments(List.of("--pruning", "margin:wide"), "Invalid value for option '--pruning'", "'wide' is not a number"),
                arguments(List.of("--protocol", "adaptive", "--lr-grid", "0.1"), "--protocol for protocol:",
                        "\"adaptive\" is not allowed; one of [fixed, tuned]"),
                arguments(List.of("--lr-grid", "0.1,NaN"), "--lr-grid for learningRate.grid[1]:", "finite"),
                arguments(List.of("--lr-grid", "0.1,1e999"), "--lr-grid for learningRate.grid[1]:", "finite"),
                arguments(List.of("--lr-grid", "0.1,-0.1"), "--lr-grid for learningRate.grid[1]:", "between 1.0E-9 and 100.0"),
                arguments(List.of("--lr-search", "0.01:1:0"), "--lr-search for learningRate.search.count:",
                        "must be from 2 to 16, got 0"),
                arguments(List.of("--lr-search", "0.01:1:17"), "--lr-search for learningRate.search.count:",
                        "must be from 2 to 16, got 17"),
                arguments(List.of("--lr-search", "1:0.01:4"), "--lr-search for learningRate.search.min:", "below max"),
                arguments(List.of("--lr-search", "0:1:4"), "--lr-search for learningRate.search.min:", "between"),
                arguments(List.of("--lr-search", "0.01:Infinity:4"), "--lr-search for learningRate.search.max:", "finite"),
                arguments(List.of("--lr", "0.1", "--lr-grid", "0.1,0.3"), "--lr for learningRate.base:", "must be absent"),
                arguments(List.of("--lr-grid", "0.1", "--pruning", "halving"), "--pruning for pruning.rule:",
                        "\"halving\" is not allowed; one of [none, margin]"),
                arguments(List.of("--lr-grid", "0.1", "--pruning", "margin:20"), "--pruning for pruning.margin:",
                        "from 1.0 to 10.0"),
                arguments(List.of("--lr-grid", "0.1", "--no-stop-at-target", "--pruning", "margin"), "--pruning for pruning:",
                        "needs stopAtTarget"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void aMistakeExitsTwoNamingTheFlagAndNothingIsSent(List<String> flags, String names, String says) {
        List<String> args = new ArrayList<>(List.of("--scheduler-url", NOBODY, "sweep", "submit"));
        args.addAll(TUNED);
        args.addAll(flags);
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(names) && run.err().contains(says), names + " ... " + says + "\n" + run);
        assertFalse(run.err().contains("cannot reach"), run.toString());
    }

    @Test
    void aGridWithoutTheTunedProtocolNamesBothTheFlagAndTheProtocol() {
        CliRun run = CliRun.of("--scheduler-url", NOBODY, "sweep", "submit", "--batch-sizes", "16", "--lr-grid", "0.1,0.3");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--lr-grid for learningRate.grid: only protocol tuned takes candidate learning rates"),
                run.err());
    }
}

package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.CliRun;
import dev.batchscope.cli.support.StatusTopicTrainer;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerExtension;
import dev.batchscope.testing.process.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep commands, run in-process as a user would type them, against the real scheduler-service running as its
 * own process on a real broker (with an API token, as a shared deployment would have).
 */
@ExtendWith(KafkaBrokerExtension.class)
class SweepCommandsAgainstSchedulerTest {
    private static final String TOKEN = "cli-test-token";
    private static final String SMALL_SWEEP_YAML = """
            name: from-file
            dataset: {name: synthetic-blobs, samples: 512}
            model: {type: mlp, hidden: [16]}
            batchSizes: [8, 64]
            seeds: [3]
            learningRate: {base: 0.1}
            budget: {steps: 40}
            """;

    private static ServiceProcess scheduler;
    private static String bootstrapServers;
    private static KafkaBroker broker;

    @BeforeAll
    static void startScheduler(KafkaBroker broker) throws IOException {
        SweepCommandsAgainstSchedulerTest.broker = broker;
        bootstrapServers = broker.bootstrapServers();
        scheduler = launchScheduler(ServiceProcess.freePort());
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void submitFromFlagsPrintsTheSweepIdAndShowListsEveryRun() {
        CliRun submit = cli("sweep", "submit", "--batch-sizes", "16,32,full", "--dataset", "synthetic-blobs",
                "--samples", "1024", "--model", "mlp", "--hidden", "32", "--steps", "50", "--lr", "0.05",
                "--lr-scaling", "sqrt", "--seeds", "1,2", "--name", "flags");
        assertEquals(ExitCodes.OK, submit.exitCode(), submit.toString());
        String sweepId = submit.out().trim();
        assertTrue(sweepId.matches("sw-[0-9a-z]{16}"), submit.toString());
        assertTrue(submit.err().contains("6 runs"), submit.toString());

        CliRun show = cli("sweep", "show", sweepId);
        assertEquals(ExitCodes.OK, show.exitCode(), show.toString());
        assertTrue(show.out().contains("sweep " + sweepId + " (flags)  QUEUED"), show.out());
        for (int i = 0; i < 6; i++) {
            assertTrue(show.out().contains("\nr" + i + " "), "row r" + i + " in\n" + show.out());
        }

        JsonNode json = json(cli("sweep", "show", sweepId, "--output", "json"));
        assertEquals(6, json.path("runs").size());
        List<String> sizes = new ArrayList<>();
        json.path("runs").forEach(run -> sizes.add(run.path("batchSize").asText() + "/" + run.path("seed").asText()));
        assertEquals(List.of("16/1", "16/2", "32/1", "32/2", "full/1", "full/2"), sizes);
        JsonNode spec = json.path("runs").get(0).path("spec");
        assertEquals("synthetic-blobs", spec.path("dataset").path("name").asText());
        assertEquals(1024, spec.path("dataset").path("samples").asInt());
        assertEquals("sqrt", spec.path("learningRate").path("scaling").asText());
        assertEquals(50, spec.path("budget").path("steps").asInt());
    }

    @Test
    void submitFromAYamlFileAndListItNewestFirst(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("sweep.yaml"), SMALL_SWEEP_YAML);
        CliRun submit = cli("sweep", "submit", "-f", file.toString());
        assertEquals(ExitCodes.OK, submit.exitCode(), submit.toString());
        String sweepId = submit.out().trim();

        CliRun list = cli("sweep", "list");
        assertEquals(ExitCodes.OK, list.exitCode(), list.toString());
        assertTrue(list.out().startsWith("SWEEP"), list.out());
        assertTrue(list.out().lines().skip(1).findFirst().orElse("").startsWith(sweepId), "newest first:\n" + list.out());

        JsonNode page = json(cli("--output", "json", "sweep", "list", "--size", "1"));
        assertEquals(sweepId, page.path("items").get(0).path("sweepId").asText());
        assertEquals("from-file", page.path("items").get(0).path("name").asText());
        assertEquals(1, page.path("size").asInt());
    }

    @Test
    void submitWithOutputJsonPrintsTheSweep() {
        JsonNode sweep = json(cli("sweep", "submit", "--batch-sizes", "4,8", "--dataset", "synthetic-linear",
                "--samples", "256", "--model", "linear", "--loss", "mse", "--steps", "10", "-o", "json"));
        assertEquals(2, sweep.path("runCount").asInt());
        assertEquals("QUEUED", sweep.path("state").asText());
        assertEquals("synthetic-linear-linear", sweep.path("name").asText(), "the default name");
    }

    @Test
    void cancelStopsEveryUnfinishedRunAndWatchThenExitsOne() {
        String sweepId = cli("sweep", "submit", "--batch-sizes", "8,16,32", "--dataset", "synthetic-blobs",
                "--samples", "256", "--steps", "20").out().trim();
        StatusTopicTrainer trainer = new StatusTopicTrainer(broker);
        trainer.finish(trainer.queued(sweepId).get(0), true);
        // the cancel must come after the scheduler has read that SUCCEEDED from the status topic
        awaitRunState(sweepId, 0, "SUCCEEDED");

        CliRun cancel = cli("sweep", "cancel", sweepId);
        assertEquals(ExitCodes.OK, cancel.exitCode(), cancel.toString());
        assertTrue(cancel.out().contains("cancelled 2 runs of sweep " + sweepId), cancel.out());

        JsonNode after = json(cli("sweep", "show", sweepId, "-o", "json"));
        List<String> states = new ArrayList<>();
        after.path("runs").forEach(run -> states.add(run.path("state").asText()));
        assertEquals(List.of("SUCCEEDED", "CANCELLED", "CANCELLED"), states);

        CliRun watch = cli("sweep", "watch", sweepId, "--interval", "0.2", "--no-live");
        assertEquals(ExitCodes.SWEEP_FAILED, watch.exitCode(), "a cancelled sweep did not succeed\n" + watch);
        assertTrue(watch.out().contains("CANCELLED"), watch.out());
        assertTrue(watch.out().contains("metrics-service at http://127.0.0.1:9 not available"), watch.out());
    }

    @Test
    void watchFollowsTheRunsUntilTheyEndAndExitsZeroWhenAllSucceeded() throws Exception {
        String sweepId = cli("sweep", "submit", "--batch-sizes", "8,16", "--dataset", "synthetic-blobs",
                "--samples", "256", "--steps", "20").out().trim();
        StatusTopicTrainer trainer = new StatusTopicTrainer(broker);
        List<RunStatusChanged> queued = trainer.queued(sweepId);
        CompletableFuture<CliRun> watch = CompletableFuture.supplyAsync(
                () -> cli("sweep", "watch", sweepId, "--interval", "0.2", "--output", "json"));
        // watch waits while the runs are queued: it is still running half a second on
        await("watch to go on while the runs are queued").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !watch.isDone());
        queued.forEach(run -> trainer.finish(run, true));

        CliRun result = watch.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        List<String> snapshots = result.out().lines().toList();
        JsonNode first = EventJson.mapper().readTree(snapshots.get(0));
        JsonNode last = EventJson.mapper().readTree(snapshots.get(snapshots.size() - 1));
        assertEquals("QUEUED", first.path("state").asText());
        assertEquals("SUCCEEDED", last.path("state").asText());
        assertEquals(20, last.path("runs").get(0).path("iterationBudget").asInt(), "a step budget is exact");
        assertFalse(last.path("metricsAvailable").asBoolean());
    }

    @Test
    void submitWithWatchExitsOneWhenARunFails() throws Exception {
        StatusTopicTrainer trainer = new StatusTopicTrainer(broker);
        CompletableFuture<CliRun> submit = CompletableFuture.supplyAsync(() -> cli("sweep", "submit", "--batch-sizes", "8,16",
                "--dataset", "synthetic-blobs", "--samples", "256", "--steps", "20", "--name", "doomed", "--watch",
                "--interval", "0.2", "--no-live"));
        String sweepId = waitForSweepNamed("doomed");
        List<RunStatusChanged> queued = trainer.queued(sweepId);
        trainer.finish(queued.get(0), true);
        trainer.finish(queued.get(1), false);

        CliRun result = submit.get(60, TimeUnit.SECONDS);
        assertEquals(ExitCodes.SWEEP_FAILED, result.exitCode(), result.toString());
        assertTrue(result.out().startsWith(sweepId), result.out());
        assertTrue(result.out().contains(sweepId + "-r1  batch 16  seed 1  FAILED"), result.out());
        assertTrue(result.out().contains("FAILED"), result.out());
    }

    @Test
    void anInvalidSpecPrintsTheSchedulersFieldMessageAndExitsTwo() {
        CliRun run = cli("sweep", "submit", "--batch-sizes", "16,0,16", "--dataset", "synthetic-blobs", "--lr-scaling", "cubic");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("learningRate.scaling: \"cubic\" is not allowed; one of [none, linear, sqrt]"), run.err());
        assertNoStackTrace(run);

        CliRun sizes = cli("sweep", "submit", "--batch-sizes", "16,0,16", "--dataset", "synthetic-blobs");
        assertEquals(ExitCodes.USAGE, sizes.exitCode(), sizes.toString());
        assertTrue(sizes.err().contains("batchSizes[1]: must be a positive integer"), sizes.err());
        assertTrue(sizes.err().contains("batchSizes[2]: duplicates batch size 16"), sizes.err());
    }

    @Test
    void badFlagsExitTwo(@TempDir Path dir) {
        assertUsage(cli("sweep", "submit", "--batch-sizes", "16", "--epochs", "lots"), "--epochs");
        assertUsage(cli("sweep", "submit", "--no-such-flag"), "--no-such-flag");
        assertUsage(cli("sweep", "show"), "ID");
        assertUsage(cli("sweep", "frobnicate"), "frobnicate");
        assertUsage(cli("--output", "yaml", "sweep", "list"), "yaml");
        assertUsage(cli("sweep", "submit"), "--batch-sizes");
        assertUsage(cli("sweep", "submit", "-f", dir.resolve("missing.yaml").toString()), "no such file");
        assertUsage(cli("sweep", "submit", "-f", "x.yaml", "--batch-sizes", "16"), "not both");
    }

    @Test
    void anUnknownSweepExitsTwoNamingIt() {
        CliRun run = cli("sweep", "show", "sw-doesnotexist");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no sweep sw-doesnotexist"), run.err());
    }

    @Test
    void anUnreachableSchedulerIsOneLineNamingTheUrlAndExitsThree() {
        String url = "http://127.0.0.1:" + ServiceProcess.freePort();
        for (String[] args : List.of(new String[]{"sweep", "list"}, new String[]{"sweep", "show", "sw-x"},
                new String[]{"sweep", "cancel", "sw-x"}, new String[]{"sweep", "watch", "sw-x"},
                new String[]{"sweep", "submit", "--batch-sizes", "16"})) {
            List<String> all = new ArrayList<>(List.of("--scheduler-url", url));
            all.addAll(List.of(args));
            CliRun run = CliRun.of(all.toArray(String[]::new));
            assertEquals(ExitCodes.UNREACHABLE, run.exitCode(), run.toString());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains(url) && run.err().contains("connection refused")
                    && run.err().contains("batchscope up"), run.err());
            assertNoStackTrace(run);
        }
    }

    @Test
    void mutatingWithoutTheTokenExitsTwoAndSaysHowToPassIt() {
        CliRun run = CliRun.of("--scheduler-url", scheduler.url(), "sweep", "submit", "--batch-sizes", "16",
                "--dataset", "synthetic-blobs");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--token") && run.err().contains("BATCHSCOPE_API_TOKEN"), run.err());
        assertFalse(run.err().contains(TOKEN));
        assertEquals(ExitCodes.OK, CliRun.of("--scheduler-url", scheduler.url(), "sweep", "list").exitCode(),
                "reads need no token");
    }

    @Test
    void aRestartedSchedulerShowsTheSameSweeps() throws IOException {
        String key = "restart-" + System.nanoTime();
        String[] submit = {"sweep", "submit", "--batch-sizes", "8,16,32", "--dataset", "synthetic-blobs",
                "--samples", "256", "--steps", "20", "--name", "survives-restart", "--idempotency-key", key};
        String sweepId = cli(submit).out().trim();
        StatusTopicTrainer trainer = new StatusTopicTrainer(broker);
        List<RunStatusChanged> queued = trainer.queued(sweepId);
        trainer.finish(queued.get(0), true);
        trainer.finish(queued.get(1), false);
        awaitRunState(sweepId, 1, "FAILED");
        String before = cli("sweep", "show", sweepId, "-o", "json").out();
        String listBefore = cli("sweep", "list", "-o", "json", "--size", "100").out();

        int port = scheduler.port();
        scheduler.close();
        scheduler = launchScheduler(port);

        assertEquals(before, cli("sweep", "show", sweepId, "-o", "json").out());
        assertEquals(listBefore, cli("sweep", "list", "-o", "json", "--size", "100").out());
        assertEquals(sweepId, cli(submit).out().trim(), "the idempotency key survives the restart too");
        CliRun cancel = cli("sweep", "cancel", sweepId);
        assertTrue(cancel.out().contains("cancelled 1 run of sweep " + sweepId), "cancel works after a restart\n" + cancel);
    }

    @Test
    void generatesAShellCompletionScript() {
        CliRun run = CliRun.of("generate-completion");
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("complete -F") && run.out().contains("sweep"), run.out().substring(0, 200));
    }

    /**
     * The real scheduler-service from the reactor's build (scheduler-service/target/quarkus-app), with an API token,
     * ready; its log in target/scheduler-process.log, every life of it.
     */
    private static ServiceProcess launchScheduler(int port) throws IOException {
        Path jar = Path.of(System.getProperty("batchscope.scheduler.jar",
                ServiceProcess.packagedJar(Path.of("../scheduler-service")).toString()));
        ServiceProcess started = ServiceProcess.builder(jar).name("scheduler-process").logDir(Path.of("target"))
                .port(port).jvmOptions("-Xmx256m")
                .env("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers).env("BATCHSCOPE_API_TOKEN", TOKEN).start();
        try {
            return started.awaitReady(Duration.ofSeconds(120));
        } catch (RuntimeException notReady) {
            started.close();
            throw notReady;
        }
    }

    private static CliRun cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--scheduler-url", scheduler.url(), "--token", TOKEN,
                "--metrics-url", "http://127.0.0.1:9"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static JsonNode json(CliRun run) {
        assertEquals(ExitCodes.OK, run.exitCode(), run.toString());
        try {
            return EventJson.mapper().readTree(run.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON:\n" + run, e);
        }
    }

    private static void assertUsage(CliRun run, String mentioned) {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(mentioned), "expected the error to mention " + mentioned + "\n" + run);
        assertNoStackTrace(run);
    }

    private static void assertNoStackTrace(CliRun run) {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.toString());
    }

    private static String waitForSweepNamed(String name) {
        return await("a sweep named " + name).atMost(Duration.ofSeconds(20))
                .until(() -> sweepNamed(name), Optional::isPresent).orElseThrow();
    }

    private static Optional<String> sweepNamed(String name) {
        for (JsonNode sweep : json(cli("sweep", "list", "-o", "json")).path("items")) {
            if (name.equals(sweep.path("name").asText())) {
                return Optional.of(sweep.path("sweepId").asText());
            }
        }
        return Optional.empty();
    }

    private static void awaitRunState(String sweepId, int run, String state) {
        await("run " + run + " of " + sweepId + " " + state).atMost(Duration.ofSeconds(30))
                .until(() -> json(cli("sweep", "show", sweepId, "-o", "json")).path("runs").get(run).path("state")
                        .asText(), state::equals);
    }
}

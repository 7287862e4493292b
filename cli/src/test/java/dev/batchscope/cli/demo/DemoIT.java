package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.report.Png;
import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.cli.support.JarRun;
import dev.batchscope.cli.support.TestDirs;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.machine.MachineRequirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code batchscope demo} with a small budget (1,024 Fashion-MNIST images, 2 epochs) through real processes: a Kafka
 * broker, the scheduler, the metrics-service and two trainers, started by the jar from the reactor's builds, with
 * state in target/ so that a stack the user runs is never touched. Then what a user does next: up again, status, a
 * trainer that crashes, down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {
    private static final Path HOME = Path.of(System.getProperty("batchscope.home", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "demo-it").toAbsolutePath();
    private static final Path STATE = WORK.resolve("state");
    private static final Path REPORTS = WORK.resolve("reports");
    private static final List<String> FILES = List.of("loss-vs-iterations.png", "loss-vs-samples.png",
            "loss-vs-seconds.png", "val-accuracy-vs-epoch.png", "gradient-noise-scale.png",
            "steps-samples-to-target.png", "report.md", "series.csv", "summary.json");

    private static JarRun demo;
    private static StackState stack;

    @BeforeAll
    static void runTheDemo() throws IOException {
        MachineRequirements.require("fashion-mnist");
        TestDirs.deleteRecursively(WORK);
        // the textbook, then a tiny tuned study: 4 batch sizes x 4 learning rates that stop at the target
        demo = run(Duration.ofMinutes(8), "demo", "--samples", "1024", "--epochs", "2", "--target-loss", "1.8",
                "--study-batch-sizes", "16,64,256,full", "--study-epochs", "2",
                "--trainers", "2", "--reports", REPORTS.toString(), "--no-live", "--interval", "1");
        stack = StackState.read(STATE.resolve("stack.json")).orElse(null);
    }

    @AfterAll
    static void leaveNothingRunning() {
        // a failed test must not leave the stack behind: down, then make sure by pid
        run(Duration.ofMinutes(2), "down");
        if (stack != null) {
            pids(stack).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    @Order(1)
    void theDemoWritesEveryReportFileWithChartsThatShowTheData() throws IOException {
        assertEquals(ExitCodes.OK, demo.exitCode(), demo.toString());
        assertTrue(demo.out().contains("sweep") && demo.out().contains("(textbook-same-lr)"), demo.out());
        Path dir = reportOf("textbook-same-lr");
        assertTrue(demo.out().lines().anyMatch(l -> l.startsWith("report: ")
                && l.contains(dir.getFileName() + "/report.md")), "says where the report is\n" + demo.out());
        for (String file : FILES) {
            assertTrue(Files.isRegularFile(dir.resolve(file)) && Files.size(dir.resolve(file)) > 0, file + " in " + dir);
            if (file.endsWith(".png")) {
                Png.read(dir.resolve(file)).assertNotBlank();
            }
        }
        JsonNode summary = EventJson.mapper().readTree(dir.resolve("summary.json").toFile());
        List<String> labels = new ArrayList<>();
        summary.path("batchSizes").forEach(b -> labels.add(b.path("label").asText()));
        assertEquals(List.of("16", "32", "64", "128", "256", "full (1024)"), labels, "one entry per batch size");
        assertEquals(6, summary.path("runs").size());
        summary.path("runs").forEach(run -> assertEquals("SUCCEEDED", run.path("state").asText(), run.toString()));
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| full (1024) |"), md);
        assertTrue(Files.readAllLines(dir.resolve("series.csv")).size() > 100);
    }

    @Test
    @Order(1)
    void theTunedStudyEndsEveryRunStopsSomeEarlyAndIsComparedWithTheTextbook() throws IOException {
        assertEquals(ExitCodes.OK, demo.exitCode(), demo.toString());
        Path dir = reportOf("study-tuned");
        JsonNode summary = EventJson.mapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(16, summary.path("runs").size(), "4 batch sizes x 4 learning rates");
        summary.path("runs").forEach(run -> assertTrue(List.of("SUCCEEDED", "DIVERGED").contains(run.path("state").asText()),
                run.toString()));
        assertEquals("tuned", summary.path("protocol").asText());
        assertEquals(16, summary.path("grid").size(), "one heatmap cell per batch size and learning rate");
        // early stops happened: runs that ended at the target (or at a pruning cap) before their budget; earlyStops'
        // savings leave out runs that stopped within their first epoch, whose step budget the service cannot know yet
        List<String> early = new ArrayList<>();
        summary.path("runs").forEach(run -> {
            if (List.of("reached-target", "pruned").contains(run.path("outcome").asText())) {
                early.add(run.path("runId").asText());
            }
        });
        assertFalse(early.isEmpty(), "runs stopped at the target: " + summary.path("runs"));
        assertTrue(summary.path("earlyStops").has("runs"), summary.toString());
        for (String field : List.of("criticalBatchSize", "noiseScaleAtTarget", "criticalToNoiseRatio", "lrScaling")) {
            assertTrue(summary.has(field), "the summary has " + field);
        }
        summary.path("batchSizes").forEach(size -> assertTrue(size.has("bestLearningRate") && size.has("noiseScaleAtTarget"),
                size.toString()));
        Path comparison = REPORTS.resolve(StudyComparison.FILE);
        assertTrue(Files.isRegularFile(comparison), "the demo writes " + comparison);
        String text = Files.readString(comparison);
        assertTrue(text.contains("textbook, learning rate 0.1000 for every batch size") && text.contains("tuned study"),
                text);
        assertTrue(demo.out().contains("How the two answers differ"), demo.out());
    }

    /** The report folder of the demo's sweep named {@code name} (folders are named by sweep id). */
    private static Path reportOf(String name) throws IOException {
        try (Stream<Path> list = Files.list(REPORTS)) {
            for (Path dir : list.filter(Files::isDirectory).toList()) {
                JsonNode summary = EventJson.mapper().readTree(dir.resolve("summary.json").toFile());
                if (name.equals(summary.path("name").asText())) {
                    return dir;
                }
            }
        }
        throw new AssertionError("no report of sweep " + name + " in " + REPORTS);
    }

    @Test
    @Order(2)
    void aSecondUpSaysTheStackRunsAndStatusShowsEveryProcessReady() {
        assertTrue(stack != null, "the demo left stack.json in " + STATE);
        JarRun up = run(Duration.ofMinutes(1), "up");
        assertEquals(ExitCodes.OK, up.exitCode(), up.toString());
        assertTrue(up.out().startsWith("batchscope is already running (2 trainers)"), up.out());

        JarRun status = run(Duration.ofMinutes(1), "status");
        assertEquals(ExitCodes.OK, status.exitCode(), status.toString());
        for (String name : List.of("scheduler", "metrics", "trainer-1", "trainer-2")) {
            assertTrue(status.out().lines().anyMatch(l -> l.startsWith(name + " ") && l.contains(" ready ")),
                    name + " ready in\n" + status.out());
        }
        assertTrue(status.out().contains(stack.service("metrics").orElseThrow().prometheusUrl()), status.out());
    }

    @Test
    @Order(3)
    void aCrashedTrainerIsReportedWithTheTailOfItsLog() throws Exception {
        StackState.ServiceInfo trainer = stack.service("trainer-2").orElseThrow();
        ProcessHandle handle = ProcessHandle.of(trainer.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get();
        JarRun status = run(Duration.ofMinutes(1), "status");
        assertEquals(ExitCodes.UNREACHABLE, status.exitCode(), status.toString());
        assertTrue(status.out().contains("trainer-2 (pid " + trainer.pid() + ") has exited. Last lines of"), status.out());
        List<String> log = Files.readAllLines(Path.of(trainer.log())).stream().filter(l -> !l.isBlank()).toList();
        assertTrue(status.out().contains(log.get(log.size() - 1)), "the log's last line in\n" + status.out());
    }

    @Test
    @Order(4)
    void downStopsEveryProcessOfTheStack() {
        JarRun down = run(Duration.ofMinutes(2), "down");
        assertEquals(ExitCodes.OK, down.exitCode(), down.toString());
        assertTrue(down.out().contains("no batchscope process is left"), down.out());
        for (long pid : pids(stack)) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        // nothing else started from this state directory either (the broker's command line names its config there)
        List<String> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(STATE.toString())).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertEquals(List.of(), left);
        assertFalse(Files.exists(STATE.resolve("stack.json")));
        JarRun status = run(Duration.ofMinutes(1), "status");
        assertEquals(ExitCodes.UNREACHABLE, status.exitCode(), status.toString());
    }

    private static JarRun run(Duration timeout, String... args) {
        return JarRun.of(Map.of(StackLayout.HOME_ENV, HOME.toString(), StackLayout.STATE_DIR_ENV, STATE.toString()),
                timeout, args);
    }

    private static List<Long> pids(StackState state) {
        List<Long> pids = new ArrayList<>();
        pids.add(state.kafka().pid());
        state.services().forEach(s -> pids.add(s.pid()));
        return pids;
    }
}

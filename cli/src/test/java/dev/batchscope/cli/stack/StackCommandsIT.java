package dev.batchscope.cli.stack;

import dev.batchscope.launcher.LoopbackPorts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.JarRun;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * up, down and status as the jar runs them, on a stack.json that names stand-in processes ({@code sleep}): what
 * status shows of live and exited ones, that down stops exactly the recorded ones, and that the sweep commands
 * take their URLs from the stack. The real stack is started by {@code DemoIT}.
 */
class StackCommandsIT {
    private final List<Process> started = new ArrayList<>();

    @TempDir
    Path stateDir;

    @AfterEach
    void stopStandIns() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void statusWithoutAStackSaysSoAndExitsThree() {
        JarRun status = run("status");
        assertEquals(ExitCodes.UNREACHABLE, status.exitCode(), status.toString());
        assertTrue(status.out().contains("batchscope is not running; start it with `batchscope up`"), status.out());
        JarRun json = run("status", "-o", "json");
        assertFalse(json(json.out()).path("running").asBoolean(true), json.out());
    }

    @Test
    void statusShowsEveryProcessAndTheLogTailOfOneThatExited() throws Exception {
        Process trainer = sleep();
        Path trainerLog = Files.writeString(stateDir.resolve("trainer-1.log"),
                "starting\nloading fashion-mnist\njava.lang.OutOfMemoryError: Java heap space\n");
        StackState.ServiceInfo dead = service("trainer-1", "trainer-service", trainer, 8081, trainerLog);
        trainer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        write(sleep(), List.of(service("scheduler", "scheduler-service", sleep(), freePort(), null), dead));

        JarRun status = run("status");
        assertEquals(ExitCodes.UNREACHABLE, status.exitCode(), status.toString());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("trainer-1") && l.contains("exited")), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("scheduler") && l.contains("not ready")), status.out());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith("kafka") && l.contains("running")), status.out());
        assertTrue(status.out().contains("trainer-1 (pid " + dead.pid() + ") has exited. Last lines of"), status.out());
        assertTrue(status.out().contains("java.lang.OutOfMemoryError: Java heap space"), status.out());

        JsonNode json = json(run("status", "--output", "json").out());
        assertFalse(json.path("running").asBoolean());
        assertEquals("exited", json.path("services").get(1).path("state").asText());
        assertEquals("not ready", json.path("services").get(0).path("state").asText());

        JarRun up = run("up");
        assertEquals(ExitCodes.UNREACHABLE, up.exitCode(), "up on a stack that lost a process\n" + up);
        assertTrue(up.err().contains("trainer-1 (pid " + dead.pid() + ") has exited")
                && up.err().contains("`batchscope down`"), up.err());
    }

    @Test
    void upOnARunningStackSaysSoAndStartsNothing() throws Exception {
        write(sleep(), List.of(service("scheduler", "scheduler-service", sleep(), freePort(), null),
                service("metrics", "metrics-service", sleep(), 18082, null)));
        JarRun up = run("up", "--trainers", "3");
        assertEquals(ExitCodes.OK, up.exitCode(), up.toString());
        assertTrue(up.out().startsWith("batchscope is already running"), up.out());
        assertTrue(up.out().contains("live page    http://127.0.0.1:18082/"), up.out());
    }

    @Test
    void downStopsExactlyTheRecordedProcessesAndNothingElse() throws Exception {
        Process kafka = sleep();
        Process scheduler = sleep();
        Process trainer = sleep();
        Process bystander = sleep();
        write(kafka, List.of(service("scheduler", "scheduler-service", scheduler, freePort(), null),
                service("trainer-1", "trainer-service", trainer, freePort(), null)));

        JarRun down = run("down");
        assertEquals(ExitCodes.OK, down.exitCode(), down.toString());
        assertTrue(down.out().contains("stopped trainer-1, scheduler, kafka; no batchscope process is left"), down.out());
        for (Process p : List.of(kafka, scheduler, trainer)) {
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "pid " + p.pid() + " was stopped");
        }
        assertTrue(bystander.isAlive(), "a process down did not start is left alone");
        assertFalse(Files.exists(stateDir.resolve("stack.json")));
        assertTrue(run("down").out().contains("batchscope was not running"));
    }

    @Test
    void aPidNowUsedByAnotherProgramIsNotMistakenForTheStacks() throws Exception {
        Process other = sleep();
        long anHourBefore = Instant.now().minusSeconds(3600).toEpochMilli();
        StackState.ServiceInfo recycled = new StackState.ServiceInfo("scheduler", "scheduler-service", other.pid(),
                anHourBefore, freePort(), stateDir.resolve("scheduler.log").toString());
        new StackState(Instant.now(), new StackState.KafkaInfo(other.pid(), anHourBefore, "127.0.0.1:1",
                stateDir.resolve("kafka.log").toString()), List.of(recycled)).write(stateDir.resolve("stack.json"));

        JarRun status = run("status");
        assertEquals(ExitCodes.UNREACHABLE, status.exitCode(), status.toString());
        assertTrue(status.out().contains("its processes have exited"), status.out());
        JarRun down = run("down");
        assertEquals(ExitCodes.OK, down.exitCode(), down.toString());
        assertTrue(other.isAlive(), "the other program keeps running");
    }

    @Test
    void theSweepCommandsUseTheStacksUrlsUnlessAFlagOrVariableSetsThem() throws Exception {
        int schedulerPort = freePort();
        write(sleep(), List.of(service("scheduler", "scheduler-service", sleep(), schedulerPort, null)));
        JarRun list = run("sweep", "list");
        assertEquals(ExitCodes.UNREACHABLE, list.exitCode(), list.toString());
        assertTrue(list.err().contains("cannot reach the scheduler at http://127.0.0.1:" + schedulerPort), list.err());

        int other = freePort();
        JarRun fromEnv = JarRun.of(Map.of(StackLayout.STATE_DIR_ENV, stateDir.toString(),
                "BATCHSCOPE_SCHEDULER_URL", "http://127.0.0.1:" + other), "sweep", "list");
        assertTrue(fromEnv.err().contains("cannot reach the scheduler at http://127.0.0.1:" + other), fromEnv.err());
        JarRun fromFlag = run("--scheduler-url", "http://127.0.0.1:" + other, "sweep", "list");
        assertTrue(fromFlag.err().contains("cannot reach the scheduler at http://127.0.0.1:" + other), fromFlag.err());
    }

    private JarRun run(String... args) {
        return JarRun.of(Map.of(StackLayout.STATE_DIR_ENV, stateDir.toString()), args);
    }

    private Process sleep() throws IOException {
        Process process = new ProcessBuilder("sleep", "300").start();
        started.add(process);
        return process;
    }

    private StackState.ServiceInfo service(String name, String module, Process process, int port, Path log) {
        return new StackState.ServiceInfo(name, module, process.pid(), StackProcess.startMillis(process.pid()), port,
                (log != null ? log : stateDir.resolve(name + ".log")).toString());
    }

    private void write(Process kafka, List<StackState.ServiceInfo> services) throws IOException {
        new StackState(Instant.now(), new StackState.KafkaInfo(kafka.pid(), StackProcess.startMillis(kafka.pid()),
                "127.0.0.1:9", stateDir.resolve("kafka.log").toString()), services).write(stateDir.resolve("stack.json"));
    }

    private static JsonNode json(String text) {
        try {
            return EventJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static int freePort() {
        return LoopbackPorts.free();
    }
}

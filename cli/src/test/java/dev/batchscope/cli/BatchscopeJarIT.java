package dev.batchscope.cli;

import dev.batchscope.launcher.LoopbackPorts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as the launcher runs it: java -jar cli/target/batchscope.jar, settings from BATCHSCOPE_* variables. */
class BatchscopeJarIT {
    private static final Path JAR = Path.of(System.getProperty("batchscope.cli.jar", "target/batchscope.jar"));

    @Test
    void helpListsTheSweepCommandsAndTheExitCodes() throws Exception {
        Result help = run(Map.of(), "--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(help.output().contains("sweep") && help.output().contains("generate-completion"), help.output());
        assertTrue(help.output().contains("3   a service could not be reached"), help.output());
    }

    @Test
    void theSchedulerUrlComesFromTheEnvironmentAndAnUnreachableOneExitsThree() throws Exception {
        String url = "http://127.0.0.1:" + freePort();
        Result run = run(Map.of("BATCHSCOPE_SCHEDULER_URL", url, "BATCHSCOPE_OUTPUT", "json"), "sweep", "list");
        assertEquals(3, run.code(), run.output());
        assertTrue(run.output().contains("cannot reach the scheduler at " + url), run.output());
        assertEquals(1, run.output().strip().lines().count(), run.output());
    }

    @Test
    void anUnknownOutputFormatFromTheEnvironmentIsBadUsage() throws Exception {
        Result run = run(Map.of("BATCHSCOPE_OUTPUT", "xml"), "sweep", "list");
        assertEquals(2, run.code(), run.output());
        assertTrue(run.output().contains("xml"), run.output());
    }

    private record Result(int code, String output) {
    }

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(JAR), "no jar at " + JAR.toAbsolutePath());
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("BATCHSCOPE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), output);
    }

    private static int freePort() {
        return LoopbackPorts.free();
    }
}

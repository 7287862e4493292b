package dev.batchscope.cli.preflight;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./batchscope demo and up on a machine without the dataset, installing turned off: they exit 2 with setup/preflight's
 * message before anything is built or started. The script runs from a copy of the checkout's launcher files whose
 * mvnw, like the java on its PATH, records each time it is started, so the test sees every process the script starts.
 */
class BatchscopeScriptTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "./batchscope {0}, not built yet")
    @ValueSource(strings = {"demo", "up"})
    void withoutTheDatasetAFreshCheckoutExitsTwoBeforeBuildingOrStartingAnything(String command) throws Exception {
        Path checkout = checkout(false);
        ScriptRun run = ScriptRun.of(checkout.resolve("batchscope"), env(), command);

        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("batchscope: the " + (command.equals("demo") ? "demo" : "local stack")
                + " needs what is missing here: fashion-mnist ("), run.err());
        assertTrue(run.err().contains("apt-get install -y --no-install-recommends dataset-fashion-mnist"), run.err());
        assertEquals(1, run.err().lines().count(), "one message: " + run.err());
        assertNothingStarted(checkout);
        System.out.printf("./batchscope %s without the dataset: exit %d after %d ms%n", command, run.exitCode(), run.millis());
    }

    @Test
    void aBuiltCheckoutChecksToo() throws Exception {
        Path checkout = checkout(true);
        ScriptRun run = ScriptRun.of(checkout.resolve("batchscope"), env(), "--output", "json", "demo", "--epochs", "1");

        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("fashion-mnist"), run.err());
        assertNothingStarted(checkout);
    }

    @Test
    void otherCommandsAndHelpDoNotNeedTheDataset() throws Exception {
        Path checkout = checkout(true);
        Map<String, String> env = env();
        for (List<String> args : List.of(List.of("demo", "--help"), List.of("sweep", "list"))) {
            ScriptRun run = ScriptRun.of(checkout.resolve("batchscope"), env, args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(List.of("-jar " + checkout.resolve("cli/target/batchscope.jar") + " " + String.join(" ", args)),
                    Files.readAllLines(dir.resolve("java.log")), "straight to the CLI");
            Files.delete(dir.resolve("java.log"));
        }
    }

    /** Neither the build (mvnw) nor any JVM ran, and the script made no state or build folder. */
    private void assertNothingStarted(Path checkout) {
        assertFalse(Files.exists(dir.resolve("mvnw.log")), "the build was started");
        assertFalse(Files.exists(dir.resolve("java.log")), "a JVM was started");
        assertFalse(Files.exists(checkout.resolve(".batchscope")), "the script made .batchscope/");
    }

    /**
     * The launcher, setup/ and a stand-in mvnw in a folder of their own (./batchscope runs everything relative to
     * itself); with {@code built}, a cli/target/batchscope.jar so that the script takes the built path.
     */
    private Path checkout(boolean built) throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(ScriptRun.REPO.resolve("batchscope"), checkout.resolve("batchscope"));
        Files.createDirectories(checkout.resolve("setup"));
        try (Stream<Path> files = Files.list(ScriptRun.REPO.resolve("setup"))) {
            for (Path file : files.toList()) {
                Files.copy(file, checkout.resolve("setup").resolve(file.getFileName()));
            }
        }
        ScriptRun.script(checkout, "mvnw", "echo \"$*\" >> '" + dir.resolve("mvnw.log") + "'; exit 1");
        if (built) {
            Files.createDirectories(checkout.resolve("cli/target"));
            Files.writeString(checkout.resolve("cli/target/batchscope.jar"), "");
        }
        return checkout;
    }

    /** No dataset anywhere, installing off, and a PATH whose JDK (java, javac) only records that java was started. */
    private Map<String, String> env() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path path = ScriptRun.pathWithout(dir.resolve("bin"), Set.of("java", "javac"));
        ScriptRun.script(path, "apt-get", "exit 99");
        Path java = ScriptRun.script(dir.resolve("jdk/bin"), "java", "echo \"$*\" >> '" + dir.resolve("java.log") + "'");
        ScriptRun.script(dir.resolve("jdk/bin"), "javac", "exit 0");
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.15\"\n");
        Files.createSymbolicLink(path.resolve("java"), java);
        Map<String, String> env = ScriptRun.env(Files.createDirectories(dir.resolve("home")), path);
        env.put("BATCHSCOPE_DATA_DIR", empty.toString());
        env.put("BATCHSCOPE_SYSTEM_DATA_DIR", empty.toString());
        return env;
    }
}

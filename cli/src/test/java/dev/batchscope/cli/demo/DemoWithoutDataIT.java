package dev.batchscope.cli.demo;

import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.support.JarRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's own check, for the jar run without ./batchscope: a demo whose sweep cannot find its data is never
 * submitted, and no stack is started for it.
 */
class DemoWithoutDataIT {
    @Test
    void withoutFashionMnistTheDemoExitsTwoAndStartsNoStack(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path state = dir.resolve("state");
        JarRun run = JarRun.of(Map.of("HOME", empty.toString(), "BATCHSCOPE_DATA_DIR", empty.toString(),
                "BATCHSCOPE_SYSTEM_DATA_DIR", empty.toString(), "BATCHSCOPE_STATE_DIR", state.toString(),
                // not a checkout: had the check let it through, `up` could not even build the services here
                "BATCHSCOPE_HOME", empty.toString()), "demo");

        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().startsWith("batchscope: the demo needs what is missing here: fashion-mnist ("), run.err());
        assertTrue(run.err().contains("apt-get install -y --no-install-recommends dataset-fashion-mnist"), run.err());
        boolean nothingStarted = !Files.exists(state) || isEmpty(state);
        assertTrue(nothingStarted, "the demo made stack state in " + state);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}

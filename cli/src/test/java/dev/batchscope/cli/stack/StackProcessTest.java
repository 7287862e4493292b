package dev.batchscope.cli.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restart starts a process as it was started: command line, environment and directory read back from /proc. */
class StackProcessTest {

    @Test
    void theImageOfAProcessIsItsCommandLineEnvironmentAndDirectory() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sleep", "300").directory(Path.of("/tmp").toFile());
        builder.environment().put("BATCHSCOPE_PROBE", "a value with spaces = and equals");
        Process process = builder.start();
        try {
            StackProcess.Image image = StackProcess.image(process.pid());
            assertEquals(List.of("sleep", "300"), image.command());
            assertEquals("a value with spaces = and equals", image.environment().get("BATCHSCOPE_PROBE"));
            assertEquals(Path.of("/tmp").toRealPath(), image.directory());

            assertTrue(StackProcess.kill(process.pid(), StackProcess.startMillis(process.pid())));
            assertFalse(process.isAlive());
            assertThrows(StackException.class, () -> StackProcess.image(process.pid()));
        } finally {
            process.destroyForcibly();
        }
    }
}

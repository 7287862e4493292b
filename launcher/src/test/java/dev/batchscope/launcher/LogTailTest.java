package dev.batchscope.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogTailTest {

    @Test
    void theLastLinesOfALogCutMidCharacterIncluded(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("service.log");
        // "é" is two bytes in UTF-8: a process killed between them leaves half a character
        Files.write(log, new byte[] {'a', '\n', 'b', '\n', 'c', (byte) 0xC3});
        assertEquals("b\nc\uFFFD", LogTail.of(log, 2));
    }

    @Test
    void aMissingLogIsSaidSoNotThrown(@TempDir Path dir) {
        assertTrue(LogTail.of(dir.resolve("never-written.log"), 5).startsWith("(no log: "));
    }
}

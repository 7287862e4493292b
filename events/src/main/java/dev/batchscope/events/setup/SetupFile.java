package dev.batchscope.events.setup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A file of the repository's setup/ folder as this jar carries it (the events build copies it): the lines that are
 * neither blank nor comments, each split at runs of white space into at most {@code fields} fields.
 */
final class SetupFile {
    private SetupFile() {
    }

    static List<List<String>> read(String name, int fields) {
        try (InputStream in = SetupFile.class.getResourceAsStream("/dev/batchscope/setup/" + name)) {
            if (in == null) {
                throw new IllegalStateException("setup/" + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> Arrays.asList(line.split("\\s+", fields)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

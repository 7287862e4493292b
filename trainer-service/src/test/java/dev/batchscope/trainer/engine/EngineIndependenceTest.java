package dev.batchscope.trainer.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * docs/design.md#2-modules: the engine runs from a plain main or a benchmark, so it imports neither Quarkus nor Kafka.
 */
class EngineIndependenceTest {
    private static final List<String> FORBIDDEN = List.of("import io.quarkus", "import org.apache.kafka", "import io.smallrye",
            "import jakarta.", "import org.eclipse.microprofile", "import dev.batchscope.events.kafka");

    @Test
    void engineSourcesImportNoServiceFramework() throws IOException {
        Path engine = Path.of("src/main/java/dev/batchscope/trainer/engine");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(engine)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(sources.isEmpty(), "engine sources under " + engine.toAbsolutePath());
        List<String> offending = sources.stream()
                .flatMap(file -> lines(file).stream().filter(line -> FORBIDDEN.stream().anyMatch(line::startsWith))
                        .map(line -> file.getFileName() + ": " + line))
                .toList();
        assertEquals(List.of(), offending);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.batchscope.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example sweep specs of the repository ({@code examples/}), which every check of a spec must accept. */
public final class ExampleSpecs {
    private ExampleSpecs() {
    }

    /** The repository's root: the first folder above the working directory that holds examples/ and pom.xml. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("examples")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no folder above " + Path.of("").toAbsolutePath() + " holds examples/");
    }

    public static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(repositoryRoot().resolve("examples"))) {
            List<Path> specs = files.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
            if (specs.size() < 3) {
                throw new IllegalStateException("expected the example specs in examples/, found " + specs);
            }
            return specs;
        }
    }

    public static Path path(String name) {
        return repositoryRoot().resolve("examples").resolve(name);
    }
}

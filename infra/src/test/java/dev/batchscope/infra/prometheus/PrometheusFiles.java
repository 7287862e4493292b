package dev.batchscope.infra.prometheus;

import dev.batchscope.infra.support.Repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The files of infra/prometheus. */
public final class PrometheusFiles {
    public static final Path DIR = Repo.infra("prometheus");

    private PrometheusFiles() {
    }

    /** rules/*.yml sorted by name: the order the Kubernetes PrometheusRule keeps too. */
    public static List<Path> ruleFiles() {
        return yamlFiles(DIR.resolve("rules"));
    }

    /** tests/*.yml: promtool unit tests of the rules. */
    public static List<Path> unitTestFiles() {
        return yamlFiles(DIR.resolve("tests"));
    }

    private static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(file -> file.getFileName().toString().endsWith(".yml")).sorted()
                    .collect(Collectors.toList());
            if (found.isEmpty()) {
                throw new AssertionError("no .yml files in " + dir);
            }
            return found;
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }
}

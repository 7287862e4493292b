package dev.batchscope.infra.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the batchscope repository that the infra checks read. */
public final class Repo {
    private static final Path ROOT = locateRoot();

    private Repo() {
    }

    public static Path root() {
        return ROOT;
    }

    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    public static Path infra(String relative) {
        return ROOT.resolve("infra").resolve(relative);
    }

    /** Where a test may write: infra/target/&lt;name&gt;, created on demand. */
    public static Path target(String name) {
        try {
            Path dir = ROOT.resolve("infra").resolve("target").resolve(name);
            Files.createDirectories(dir);
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path locateRoot() {
        String configured = System.getProperty("batchscope.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // Run from an IDE: walk up from the working directory to the reactor root.
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("infra"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the batchscope repository root; set -Dbatchscope.repo.root");
    }
}

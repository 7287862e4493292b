package dev.batchscope.trainer.engine.data;

import dev.batchscope.trainer.engine.TrainingException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where data files are looked up, in order (docs/design.md#11-data-locations): {@code BATCHSCOPE_DATA_DIR}, the user
 * cache {@code ~/.cache/batchscope}, then the Debian/Ubuntu dataset packages under {@code /usr/share/datasets}.
 */
public final class DataLocations {
    public static final String DATA_DIR_ENV = "BATCHSCOPE_DATA_DIR";
    public static final Path SYSTEM_DATASETS = Path.of("/usr/share/datasets");

    private final List<Path> roots;

    public DataLocations(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The standard search order for this process's environment. */
    public static DataLocations standard() {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static DataLocations fromEnvironment(Map<String, String> env, Path home) {
        List<Path> roots = new ArrayList<>();
        String dataDir = env.get(DATA_DIR_ENV);
        if (dataDir != null && !dataDir.isBlank()) {
            roots.add(Path.of(dataDir));
        }
        roots.add(home.resolve(".cache").resolve("batchscope"));
        roots.add(SYSTEM_DATASETS);
        return new DataLocations(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The first directory that holds all {@code files}: either {@code root/name} or the root itself
     * (so BATCHSCOPE_DATA_DIR may point at the dataset's own folder).
     */
    public Optional<Path> findDirectoryWith(String name, List<String> files) {
        for (Path root : roots) {
            for (Path candidate : List.of(root.resolve(name), root)) {
                if (files.stream().allMatch(file -> Files.isRegularFile(candidate.resolve(file)))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** A user-given path: absolute as given; relative against the first data root, then the working directory. */
    public Path resolveUserPath(String field, String path) {
        Path given = Path.of(path);
        if (given.isAbsolute()) {
            if (Files.exists(given)) {
                return given;
            }
            throw new TrainingException(field + ": " + path + " does not exist on this trainer");
        }
        List<Path> tried = new ArrayList<>();
        for (Path base : List.of(roots.get(0), Path.of("").toAbsolutePath())) {
            Path candidate = base.resolve(given).normalize();
            tried.add(candidate);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new TrainingException(field + ": " + path + " does not exist on this trainer (looked in " + tried + ")");
    }
}

package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.setup.DataRoots;
import dev.batchscope.trainer.engine.DataException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where data files are looked up: the roots of setup/data-roots (docs/design.md#11-data-locations), which
 * {@link DataRoots} reads for the trainer and for the checks that run before a sweep: {@code BATCHSCOPE_DATA_DIR},
 * the user cache {@code ~/.cache/batchscope}, then the Debian/Ubuntu dataset packages under
 * {@code /usr/share/datasets} ({@code BATCHSCOPE_SYSTEM_DATA_DIR} when set).
 */
public final class DataLocations {
    public static final String DATA_DIR_ENV = DataRoots.DATA_DIR_ENV;
    public static final Path SYSTEM_DATASETS = Path.of("/usr/share/datasets");

    private final DataRoots roots;

    public DataLocations(List<Path> roots) {
        this(new DataRoots(roots));
    }

    private DataLocations(DataRoots roots) {
        this.roots = roots;
    }

    /** The standard search order for this process's environment. */
    public static DataLocations standard() {
        return new DataLocations(DataRoots.standard());
    }

    static DataLocations fromEnvironment(Map<String, String> env, Path home) {
        return new DataLocations(DataRoots.of(env, home));
    }

    public List<Path> roots() {
        return roots.roots();
    }

    /**
     * The first directory that holds all {@code files}: either {@code root/name} or the root itself
     * (so BATCHSCOPE_DATA_DIR may point at the dataset's own folder).
     */
    public Optional<Path> findDirectoryWith(String name, List<String> files) {
        return roots.find(name, files);
    }

    /** A user-given path: absolute as given; relative against the first data root, then the working directory. */
    public Path resolveUserPath(String field, String path) {
        Path given = Path.of(path);
        if (given.isAbsolute()) {
            if (Files.exists(given)) {
                return given;
            }
            throw new DataException(field + ": " + path + " does not exist on this trainer");
        }
        List<Path> tried = new ArrayList<>();
        for (Path base : List.of(roots().get(0), Path.of("").toAbsolutePath())) {
            Path candidate = base.resolve(given).normalize();
            tried.add(candidate);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new DataException(field + ": " + path + " does not exist on this trainer (looked in " + tried + ")");
    }
}

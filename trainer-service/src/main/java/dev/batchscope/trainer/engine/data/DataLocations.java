package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.setup.DataRoots;
import dev.batchscope.events.validation.DataPathRule;
import dev.batchscope.trainer.engine.DataException;

import java.io.IOException;
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

    /**
     * A spec's {@code dataset.path}: relative, looked up below each data root in order, and confined to them. The
     * validator has refused absolute paths and {@code ..} already, but a symbolic link below a root may still lead
     * anywhere, so the file's real path (links resolved) must lie below the real path of a data root.
     */
    public Path resolveUserPath(String field, String path) {
        DataPathRule.problem(path).ifPresent(problem -> {
            throw new DataException(field + ": " + problem);
        });
        List<Path> tried = new ArrayList<>();
        for (Path root : roots()) {
            Path candidate = root.resolve(path).normalize();
            tried.add(candidate);
            if (Files.exists(candidate)) {
                return confined(field, path, candidate);
            }
        }
        throw new DataException(field + ": " + path + " does not exist on this trainer (looked in " + tried + ")");
    }

    private Path confined(String field, String path, Path candidate) {
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            throw new DataException(field + ": cannot resolve " + candidate + ": " + e.getMessage(), e);
        }
        for (Path root : roots()) {
            Optional<Path> realRoot = realPath(root);
            if (realRoot.isPresent() && real.startsWith(realRoot.get())) {
                return real;
            }
        }
        throw new DataException(field + ": " + path + " leads to " + real + " (through a symbolic link), outside the "
                + "trainer's data directories " + roots() + "; put the data itself below one of them");
    }

    /** A root that does not exist (an unset cache, no system datasets) holds nothing. */
    private static Optional<Path> realPath(Path root) {
        try {
            return Optional.of(root.toRealPath());
        } catch (IOException missing) {
            return Optional.empty();
        }
    }
}

package dev.batchscope.events.setup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where data files are looked up, in order (docs/design.md#11-data-locations), as setup/data-roots lists them:
 * the trainer loads datasets from here, and the checks before a sweep (setup/preflight, the CLI) look here too.
 */
public final class DataRoots {
    public static final String DATA_DIR_ENV = "BATCHSCOPE_DATA_DIR";

    private final List<Path> roots;

    public DataRoots(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The roots for this process's environment and home folder. */
    public static DataRoots standard() {
        String home = System.getenv("HOME");
        return of(System.getenv(), Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home));
    }

    /**
     * The roots for an environment: each line of setup/data-roots is {@code env NAME [DEFAULT]} (the folder in a
     * variable, DEFAULT when it is unset or empty, else no root) or {@code home PATH} (below the home folder).
     */
    public static DataRoots of(Map<String, String> env, Path home) {
        List<Path> roots = new ArrayList<>();
        for (List<String> line : SetupFile.read("data-roots", 3)) {
            switch (line.get(0)) {
                case "env" -> {
                    String value = env.get(line.get(1));
                    if (value == null || value.isEmpty()) {
                        value = line.size() > 2 ? line.get(2) : null;
                    }
                    if (value != null) {
                        roots.add(Path.of(value));
                    }
                }
                case "home" -> roots.add(home.resolve(line.get(1)));
                default -> throw new IllegalStateException("setup/data-roots: unknown kind " + line.get(0));
            }
        }
        return new DataRoots(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * The first folder that holds all {@code files}: {@code root/name} or the root itself, root by root (so that
     * BATCHSCOPE_DATA_DIR may point at the dataset's own folder).
     */
    public Optional<Path> find(String name, List<String> files) {
        for (Path root : roots) {
            for (Path candidate : List.of(root.resolve(name), root)) {
                if (files.stream().allMatch(file -> Files.isRegularFile(candidate.resolve(file)))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}

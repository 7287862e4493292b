package dev.batchscope.events.setup;

import java.util.Arrays;
import java.util.List;

/**
 * One line of setup/requirements: something batchscope needs from the machine, how it is found and which Debian/Ubuntu
 * packages provide it. setup/preflight checks these; the CLI reads the dataset's to check a sweep's data.
 *
 * @param neededBy       "demo", "tests"
 * @param foundBy        {@code command:A|B}, {@code dataset:NAME/FILE,FILE...} or {@code font:FAMILY} (+ for spaces)
 * @param debianPackages the packages that provide it
 */
public record MachineRequirement(String name, List<String> neededBy, String foundBy, List<String> debianPackages,
                                 String why) {

    public static List<MachineRequirement> all() {
        return SetupFile.read("requirements", 5).stream()
                .map(f -> new MachineRequirement(f.get(0), List.of(f.get(1).split(",")), f.get(2),
                        List.of(f.get(3).split(",")), f.size() > 4 ? f.get(4) : ""))
                .toList();
    }

    public static MachineRequirement named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("setup/requirements lists no " + name));
    }

    /** For a dataset: the folder name it is looked up under; null for other kinds. */
    public String datasetName() {
        return foundBy.startsWith("dataset:") ? foundBy.substring("dataset:".length()).split("/", 2)[0] : null;
    }

    /** For a dataset: the files that must all be there; empty for other kinds. */
    public List<String> datasetFiles() {
        return foundBy.startsWith("dataset:") ? Arrays.asList(foundBy.split("/", 2)[1].split(",")) : List.of();
    }
}

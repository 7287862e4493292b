package dev.batchscope.events.setup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataRootsTest {
    private static final List<String> FILES = List.of("a.gz", "b.gz");

    @Test
    void theOrderIsTheDataDirTheUserCacheThenTheSystemDatasets() {
        Path home = Path.of("/home/u");
        assertEquals(List.of(Path.of("/data"), home.resolve(".cache/batchscope"), Path.of("/usr/share/datasets")),
                DataRoots.of(Map.of("BATCHSCOPE_DATA_DIR", "/data"), home).roots());
        assertEquals(List.of(home.resolve(".cache/batchscope"), Path.of("/usr/share/datasets")),
                DataRoots.of(Map.of("BATCHSCOPE_DATA_DIR", ""), home).roots(), "an empty variable names no root");
        assertEquals(List.of(home.resolve(".cache/batchscope"), Path.of("/opt/datasets")),
                DataRoots.of(Map.of("BATCHSCOPE_SYSTEM_DATA_DIR", "/opt/datasets"), home).roots());
    }

    @Test
    void theFirstRootWithAllFilesWinsInANamedFolderOrDirectly(@TempDir Path dir) throws IOException {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        write(first.resolve("set"), "a.gz");                 // incomplete: b.gz missing
        write(second.resolve("set"), "a.gz", "b.gz");
        DataRoots roots = new DataRoots(List.of(first, second));
        assertEquals(second.resolve("set"), roots.find("set", FILES).orElseThrow());
        write(first, "a.gz", "b.gz");                        // the dataset's own folder as the root
        assertEquals(first, roots.find("set", FILES).orElseThrow());
        assertEquals(false, new DataRoots(List.of(dir.resolve("none"))).find("set", FILES).isPresent());
    }

    @Test
    void fashionMnistIsADatasetWithItsFourFilesAndItsDebianPackage() {
        MachineRequirement fashion = MachineRequirement.named("fashion-mnist");
        assertEquals("fashion-mnist", fashion.datasetName());
        assertEquals(4, fashion.datasetFiles().size());
        assertEquals(List.of("dataset-fashion-mnist"), fashion.debianPackages());
        assertEquals(List.of("demo", "tests"), fashion.neededBy());
    }

    private static void write(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        for (String file : files) {
            Files.writeString(dir.resolve(file), "x");
        }
    }
}

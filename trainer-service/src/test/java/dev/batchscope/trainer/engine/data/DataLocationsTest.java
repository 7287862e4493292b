package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.trainer.engine.DataException;
import dev.batchscope.trainer.engine.TrainingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dataset.path stays below the data roots, also through symbolic links, which only the trainer can resolve. */
class DataLocationsTest {
    @TempDir
    Path root;
    @TempDir
    Path elsewhere;

    @Test
    void aRelativePathIsLookedUpBelowEachRootInOrder(@TempDir Path second) throws IOException {
        Path file = Files.writeString(Files.createDirectories(second.resolve("sets")).resolve("iris.csv"), "1,0\n");
        DataLocations locations = new DataLocations(List.of(root, second));
        assertEquals(file.toRealPath(), locations.resolveUserPath("dataset.path", "sets/iris.csv"));
    }

    @Test
    void anAbsolutePathOrADotDotIsRefusedEvenWhenTheFileExists() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret.csv"), "1,0\n");
        DataLocations locations = new DataLocations(List.of(root));
        DataException absolute = assertThrows(DataException.class,
                () -> locations.resolveUserPath("dataset.path", secret.toString()));
        assertTrue(absolute.getMessage().startsWith("dataset.path: must be a path relative to the trainer's data "
                + "directories"), absolute.getMessage());
        String climb = root.relativize(secret).toString();
        DataException dotDot = assertThrows(DataException.class, () -> locations.resolveUserPath("dataset.path", climb));
        assertTrue(dotDot.getMessage().contains("has a .. segment"), dotDot.getMessage());
    }

    @Test
    void aSymbolicLinkOutOfTheRootFailsTheRunNamingTheField() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("secret.csv"), "1,2,0\n3,4,1\n5,6,1\n");
        Files.createSymbolicLink(root.resolve("data.csv"), secret);
        Files.createSymbolicLink(root.resolve("linked-dir"), elsewhere);
        DataLocations locations = new DataLocations(List.of(root));

        DataException file = assertThrows(DataException.class, () -> locations.resolveUserPath("dataset.path", "data.csv"));
        assertTrue(file.getMessage().startsWith("dataset.path: data.csv leads to " + secret.toRealPath()
                + " (through a symbolic link), outside the trainer's data directories"), file.getMessage());
        assertThrows(DataException.class, () -> locations.resolveUserPath("dataset.path", "linked-dir/secret.csv"));
        // the loader turns it into a failed run, not a crash
        DatasetSpec spec = new DatasetSpec(DatasetKind.CSV, null, null, null, null, null, "data.csv", 2);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new DatasetLoader(locations).load(spec, 1));
        assertTrue(e.getMessage().contains("outside the trainer's data directories"), e.getMessage());
    }

    @Test
    void aSymbolicLinkFromOneRootIntoAnotherOrALinkedRootIsFine(@TempDir Path second) throws IOException {
        Path shared = Files.writeString(second.resolve("shared.csv"), "1,0\n");
        Files.createSymbolicLink(root.resolve("shared.csv"), shared);
        Path linkedRoot = Files.createSymbolicLink(elsewhere.resolve("root-link"), root);
        DataLocations locations = new DataLocations(List.of(linkedRoot, second));
        assertEquals(shared.toRealPath(), locations.resolveUserPath("dataset.path", "shared.csv"));
        Path own = Files.writeString(root.resolve("own.csv"), "1,0\n");
        assertEquals(own.toRealPath(), locations.resolveUserPath("dataset.path", "own.csv"));
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.study.TargetCrossing;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A run's checkpoints in a directory (shared between trainers, so a redelivered run resumes wherever it lands).
 * Each checkpoint is written to a temporary folder, renamed into place, and only then named by the LATEST file,
 * which is replaced atomically: a trainer killed mid-write leaves the previous checkpoint intact.
 *
 * <pre>
 *   LATEST                       name of the current checkpoint folder
 *   ckpt-000000000200/state.properties   counters, position, fingerprint, target criterion (doubles as exact hex)
 *   ckpt-000000000200/params.bin         Nd4j binary, bit-exact
 *   ckpt-000000000200/updater.bin        present when the optimizer has state
 * </pre>
 */
public final class CheckpointStore {
    /** 2: the target criterion's state (TargetCrossing) joined the counters. */
    static final int FORMAT = 2;
    private static final String LATEST = "LATEST";
    private static final String PREFIX = "ckpt-";
    private static final System.Logger LOG = System.getLogger(CheckpointStore.class.getName());

    private final Path directory;

    public CheckpointStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The latest checkpoint of this spec, if any. A checkpoint that cannot be read or belongs to another spec is skipped. */
    public Optional<Checkpoint> load(String fingerprint) {
        Path latest = directory.resolve(LATEST);
        String name;
        try {
            name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + latest + "; starting from scratch: " + e.getMessage());
            return Optional.empty();
        }
        Path folder = directory.resolve(name);
        try {
            Properties state = new Properties();
            try (InputStream in = Files.newInputStream(folder.resolve("state.properties"))) {
                state.load(in);
            }
            if (Integer.parseInt(state.getProperty("format", "0")) != FORMAT) {
                LOG.log(System.Logger.Level.WARNING, folder + " has checkpoint format " + state.getProperty("format")
                        + ", this trainer reads " + FORMAT + "; starting from scratch");
                return Optional.empty();
            }
            if (!fingerprint.equals(state.getProperty("fingerprint"))) {
                LOG.log(System.Logger.Level.WARNING, folder + " belongs to another run spec; starting from scratch");
                return Optional.empty();
            }
            INDArray params = Nd4j.readBinary(folder.resolve("params.bin").toFile());
            Path updaterFile = folder.resolve("updater.bin");
            INDArray updater = Files.exists(updaterFile) ? Nd4j.readBinary(updaterFile.toFile()) : null;
            return Optional.of(new Checkpoint(fingerprint, longOf(state, "iteration"), longOf(state, "order.epoch"),
                    longOf(state, "order.batch"), longOf(state, "order.seed"), longOf(state, "samplesSeen"),
                    longOf(state, "elapsedMs"), Double.parseDouble(state.getProperty("lossSum")),
                    longOf(state, "lossCount"), params, updater, targetCrossing(state)));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read checkpoint " + folder + "; starting from scratch: " + e);
            return Optional.empty();
        }
    }

    public void save(Checkpoint checkpoint) {
        String name = String.format("%s%012d", PREFIX, checkpoint.iteration());
        try {
            Files.createDirectories(directory);
            Path temporary = Files.createTempDirectory(directory, name + ".tmp-");
            Properties state = new Properties();
            state.setProperty("format", Integer.toString(FORMAT));
            state.setProperty("fingerprint", checkpoint.fingerprint());
            state.setProperty("iteration", Long.toString(checkpoint.iteration()));
            state.setProperty("order.seed", Long.toString(checkpoint.orderSeed()));
            state.setProperty("order.epoch", Long.toString(checkpoint.epochIndex()));
            state.setProperty("order.batch", Long.toString(checkpoint.batchInEpoch()));
            state.setProperty("samplesSeen", Long.toString(checkpoint.samplesSeen()));
            state.setProperty("elapsedMs", Long.toString(checkpoint.elapsedMs()));
            state.setProperty("lossSum", Double.toHexString(checkpoint.lossSum()));
            state.setProperty("lossCount", Long.toString(checkpoint.lossCount()));
            TargetCrossing.State crossing = checkpoint.targetCrossing();
            if (crossing != null) {
                state.setProperty("target.iterations", Long.toString(crossing.iterations()));
                state.setProperty("target.biasedEma", Double.toHexString(crossing.biasedEma()));
                if (crossing.crossedAt() != null) {
                    state.setProperty("target.crossedAt", Long.toString(crossing.crossedAt()));
                }
            }
            Nd4j.saveBinary(checkpoint.parameters(), temporary.resolve("params.bin").toFile());
            if (checkpoint.updaterState() != null) {
                Nd4j.saveBinary(checkpoint.updaterState(), temporary.resolve("updater.bin").toFile());
            }
            try (OutputStream out = Files.newOutputStream(temporary.resolve("state.properties"))) {
                state.store(out, "batchscope trainer checkpoint");
            }
            syncAll(temporary);
            Path target = directory.resolve(name);
            deleteRecursively(target);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            Path latestTemporary = directory.resolve(LATEST + ".tmp");
            Files.writeString(latestTemporary, name, StandardCharsets.UTF_8);
            Files.move(latestTemporary, directory.resolve(LATEST), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            deleteOthers(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Removes every checkpoint (after a run finished for good). */
    public void clear() {
        try {
            deleteOthers(null);
            Files.deleteIfExists(directory.resolve(LATEST));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove checkpoints in " + directory + ": " + e.getMessage());
        }
    }

    private void deleteOthers(String keep) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                String fileName = entry.getFileName().toString();
                if (fileName.startsWith(PREFIX) && !fileName.equals(keep)) {
                    deleteRecursively(entry);
                }
            }
        }
    }

    private static void syncAll(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static TargetCrossing.State targetCrossing(Properties state) {
        if (state.getProperty("target.iterations") == null) {
            return null;
        }
        String crossedAt = state.getProperty("target.crossedAt");
        return new TargetCrossing.State(longOf(state, "target.iterations"),
                Double.parseDouble(state.getProperty("target.biasedEma")), crossedAt == null ? null : Long.valueOf(crossedAt));
    }

    private static long longOf(Properties state, String key) {
        String value = state.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("state.properties lacks " + key);
        }
        return Long.parseLong(value);
    }
}

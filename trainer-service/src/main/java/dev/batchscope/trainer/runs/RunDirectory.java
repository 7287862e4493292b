package dev.batchscope.trainer.runs;

import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.trainer.engine.CheckpointStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * A run's folder in the shared checkpoint directory: its attempt counter, its checkpoints and, once it has
 * finished for good, its outcome. Every delivery of the run counts an attempt, so a redelivered run (its
 * trainer died, or its partition moved) continues with attempt + 1.
 */
public final class RunDirectory {
    private static final String ATTEMPT = "attempt";
    private static final String OUTCOME = "outcome.properties";

    private final Path dir;

    public RunDirectory(Path root, String runId) {
        // run ids match SpecValidator.NAME: letters, digits, '.', '_', '-', starting with a letter or digit
        this.dir = root.resolve(runId);
    }

    public Path path() {
        return dir;
    }

    public CheckpointStore checkpoints() {
        return new CheckpointStore(dir.resolve("checkpoints"));
    }

    /** Counts this delivery: 1 for the first, one more for every redelivery. */
    public int nextAttempt() {
        int previous = 0;
        try {
            previous = Integer.parseInt(Files.readString(dir.resolve(ATTEMPT), StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            previous = 0;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the attempt counter of " + dir + ": " + e.getMessage(), e);
        }
        int attempt = previous + 1;
        writeAtomically(ATTEMPT, Integer.toString(attempt).getBytes(StandardCharsets.UTF_8));
        return attempt;
    }

    /** The recorded end of a run that finished for good. */
    public Optional<Outcome> outcome() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(OUTCOME))) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outcome of " + dir + ": " + e.getMessage(), e);
        }
        String outcome = p.getProperty("outcome");
        String reachedTargetAt = p.getProperty("reachedTargetAt");
        return Optional.of(new Outcome(RunState.valueOf(p.getProperty("state")), Integer.parseInt(p.getProperty("attempt")),
                p.getProperty("reason"), optionalInt(p.getProperty("effectiveBatchSize")),
                optionalDouble(p.getProperty("effectiveLearningRate")),
                outcome == null ? null : RunOutcome.valueOf(outcome),
                reachedTargetAt == null ? null : Long.valueOf(reachedTargetAt)));
    }

    /** Records the final outcome and drops the checkpoints, which nobody will resume any more. */
    public void finish(Outcome outcome) {
        Properties p = new Properties();
        p.setProperty("state", outcome.state().name());
        p.setProperty("attempt", Integer.toString(outcome.attempt()));
        if (outcome.reason() != null) {
            p.setProperty("reason", outcome.reason());
        }
        if (outcome.effectiveBatchSize() != null) {
            p.setProperty("effectiveBatchSize", outcome.effectiveBatchSize().toString());
        }
        if (outcome.effectiveLearningRate() != null) {
            p.setProperty("effectiveLearningRate", Double.toString(outcome.effectiveLearningRate()));
        }
        if (outcome.outcome() != null) {
            p.setProperty("outcome", outcome.outcome().name());
        }
        if (outcome.reachedTargetAt() != null) {
            p.setProperty("reachedTargetAt", outcome.reachedTargetAt().toString());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            p.store(bytes, "batchscope run outcome");
            writeAtomically(OUTCOME, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the outcome of " + dir + ": " + e.getMessage(), e);
        }
        checkpoints().clear();
    }

    private void writeAtomically(String name, byte[] content) {
        try {
            Files.createDirectories(dir);
            Path temporary = Files.createTempFile(dir, name, ".tmp");
            Files.write(temporary, content);
            Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private static Integer optionalInt(String value) {
        return value == null ? null : Integer.valueOf(value);
    }

    private static Double optionalDouble(String value) {
        return value == null ? null : Double.valueOf(value);
    }

    /**
     * How a run ended for good.
     *
     * @param outcome         why (null in records written before outcomes existed)
     * @param reachedTargetAt the iteration at which it reached its target, if it did
     */
    public record Outcome(RunState state, int attempt, String reason, Integer effectiveBatchSize,
                          Double effectiveLearningRate, RunOutcome outcome, Long reachedTargetAt) {
    }
}

package dev.batchscope.testing.machine;

import dev.batchscope.events.setup.MachineRequirement;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a test needs from the machine (a tool, the dataset, fonts), checked by {@code setup/preflight check}: the
 * build's own first step runs the same script on the same list (setup/requirements), so a test that lacks something
 * fails with the build check's message, naming the package that provides it. Tests never skip for a missing tool.
 */
public final class MachineRequirements {
    private MachineRequirements() {
    }

    /** Fails the test with setup/preflight's message unless every named requirement is there. */
    public static void require(String... names) {
        List<String> command = new ArrayList<>(List.of("bash", preflight().toString(), "check"));
        command.addAll(List.of(names));
        try {
            Path output = Files.createTempFile("batchscope-preflight", ".txt");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(1, TimeUnit.MINUTES)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", command) + " did not finish within a minute");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError(Files.readString(output, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    /**
     * The executable of a {@code command:} requirement: the system property {@code batchscope.tool.<name>} when set
     * (a tool outside the PATH), else the first of its commands on the PATH, after {@link #require} found it.
     */
    public static Path command(String name) {
        String configured = System.getProperty("batchscope.tool." + name, "");
        if (!configured.isBlank()) {
            return Path.of(configured);
        }
        require(name);
        String foundBy = MachineRequirement.named(name).foundBy();
        if (!foundBy.startsWith("command:")) {
            throw new IllegalArgumentException(name + " is not a command in setup/requirements: " + foundBy);
        }
        for (String candidate : foundBy.substring("command:".length()).split("\\|")) {
            Optional<Path> path = onPath(candidate);
            if (path.isPresent()) {
                return path.get();
            }
        }
        throw new AssertionError("setup/preflight found " + name + " but no " + foundBy + " is on the PATH");
    }

    /** An executable on the PATH. */
    public static Optional<Path> onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** setup/preflight of the checkout the tests run in: the first folder above the working directory that has it. */
    static Path preflight() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve("setup/preflight");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new AssertionError("no setup/preflight above " + Path.of("").toAbsolutePath());
    }
}

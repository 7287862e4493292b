package dev.batchscope.infra.support;

import dev.batchscope.testing.machine.MachineRequirements;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The external tools the infra checks run: promtool and prometheus, kubectl (its built-in kustomize) or kustomize,
 * docker-compose. Which package provides each is in setup/requirements; a missing one fails the test with
 * setup/preflight's message ({@link MachineRequirements}). Each can be pointed elsewhere with a system property
 * {@code batchscope.tool.<name>}.
 */
public final class Tools {
    private Tools() {
    }

    /** A finished process: exit code and its combined stdout and stderr. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static Path promtool() {
        return MachineRequirements.command("promtool");
    }

    public static Path prometheus() {
        return MachineRequirements.command("prometheus");
    }

    public static Path dockerCompose() {
        return MachineRequirements.command("docker-compose");
    }

    /**
     * The command that renders a kustomization to stdout: {@code kubectl kustomize} (kubectl has carried kustomize
     * since 1.14), or a standalone {@code kustomize build} where that is what the machine has.
     */
    public static List<String> kustomizeBuild(Path kustomizationDir) {
        Path tool = MachineRequirements.command("kubectl");
        return tool.getFileName().toString().startsWith("kustomize")
                ? List.of(tool.toString(), "build", kustomizationDir.toString())
                : List.of(tool.toString(), "kustomize", kustomizationDir.toString());
    }

    /** Runs a command to completion; a command that outlives {@code timeout} is killed and fails the test. */
    public static Result run(List<String> command, Path workingDir, Duration timeout) {
        return run(command, workingDir, timeout, java.util.Map.of());
    }

    /** {@link #run(List, Path, Duration)} with these variables set in (or, with a null value, removed from) its environment. */
    public static Result run(List<String> command, Path workingDir, Duration timeout, java.util.Map<String, String> env) {
        try {
            Path log = Files.createTempFile("batchscope-tool", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workingDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                env.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                            + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs a command and fails with its output unless it exits 0. */
    public static String runOk(List<String> command, Path workingDir, Duration timeout) {
        Result result = run(command, workingDir, timeout);
        if (!result.ok()) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode() + ":\n"
                    + result.output());
        }
        return result.output();
    }

    /** The first line a tool prints for {@code --version} (or {@code version --client}), for test logs. */
    public static String version(List<String> command) {
        Result result = run(command, Path.of("."), Duration.ofSeconds(30));
        return result.output().lines().findFirst().orElse("").trim();
    }
}

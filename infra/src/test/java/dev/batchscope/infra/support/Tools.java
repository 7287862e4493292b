package dev.batchscope.infra.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The external tools the infra checks run: promtool and prometheus (Debian package {@code prometheus}),
 * kustomize or kubectl (its built-in kustomize), docker-compose (Debian package {@code docker-compose}).
 * Each can be pointed elsewhere with a system property {@code batchscope.tool.<name>}.
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

    /** The tool's executable from its system property, /usr/bin, or the PATH. */
    public static Optional<Path> find(String name) {
        String configured = System.getProperty("batchscope.tool." + name);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/bin", name));
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir, name));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** The tool, or a failure that says which package provides it. */
    public static Path require(String name, String howToInstall) {
        return find(name).orElseThrow(() -> new AssertionError(
                name + " is not installed (looked in /usr/bin and the PATH, or set -Dbatchscope.tool." + name
                        + "); " + howToInstall));
    }

    public static Path promtool() {
        return require("promtool", "install Debian's package: apt-get install prometheus");
    }

    public static Path prometheus() {
        return require("prometheus", "install Debian's package: apt-get install prometheus");
    }

    /**
     * The command that renders a kustomization to stdout: a standalone {@code kustomize build}, else
     * {@code kubectl kustomize} (kubectl has carried kustomize since 1.14).
     */
    public static List<String> kustomizeBuild(Path kustomizationDir) {
        Optional<Path> kustomize = find("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build", kustomizationDir.toString());
        }
        Path kubectl = require("kubectl", "install kubectl (or kustomize) to render infra/k8s");
        return List.of(kubectl.toString(), "kustomize", kustomizationDir.toString());
    }

    /** Runs a command to completion; a command that outlives {@code timeout} is killed and fails the test. */
    public static Result run(List<String> command, Path workingDir, Duration timeout) {
        try {
            Path log = Files.createTempFile("batchscope-tool", ".log");
            try {
                Process process = new ProcessBuilder(command)
                        .directory(workingDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
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

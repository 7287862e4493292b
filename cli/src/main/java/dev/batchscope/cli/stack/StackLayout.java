package dev.batchscope.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local stack's pieces live: the reactor's build outputs, and {@code .batchscope/} for state, logs and
 * pids. The root is {@code BATCHSCOPE_HOME} (set by the {@code ./batchscope} launcher) or the working directory.
 */
public record StackLayout(Path root) {

    public static StackLayout fromEnvironment() {
        String home = System.getenv("BATCHSCOPE_HOME");
        return new StackLayout(Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize());
    }

    public Path stateDir() {
        return root.resolve(".batchscope");
    }

    public Path stackFile() {
        return stateDir().resolve("stack.json");
    }

    public Path logDir() {
        return stateDir().resolve("logs");
    }

    public Path kafkaStateDir() {
        return stateDir().resolve("kafka");
    }

    public Path checkpointDir() {
        return stateDir().resolve("checkpoints");
    }

    public Path kafkaLibDir() {
        return root.resolve("infra/target/kafka-libs");
    }

    /** The runnable Quarkus application of a service module, e.g. "scheduler-service". */
    public Path serviceJar(String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public boolean built() {
        return Files.isDirectory(kafkaLibDir())
                && Files.exists(serviceJar("scheduler-service"))
                && Files.exists(serviceJar("trainer-service"))
                && Files.exists(serviceJar("metrics-service"));
    }
}

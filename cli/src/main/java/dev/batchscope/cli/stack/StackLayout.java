package dev.batchscope.cli.stack;

import dev.batchscope.launcher.ServiceCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack's pieces live. The root is the batchscope checkout whose reactor built the services:
 * {@code BATCHSCOPE_HOME} (set by the {@code ./batchscope} launcher) or the working directory. State, logs and pids
 * live in {@code <root>/.batchscope}, or in {@code BATCHSCOPE_STATE_DIR} when set (tests use a directory of their
 * own, so that they never touch a stack the user is running).
 */
public record StackLayout(Path root, Path stateDir) {
    public static final String HOME_ENV = "BATCHSCOPE_HOME";
    public static final String STATE_DIR_ENV = "BATCHSCOPE_STATE_DIR";
    /** The service modules {@code up} runs, in the order they start. */
    public static final List<String> SERVICE_MODULES = List.of("scheduler-service", "metrics-service", "trainer-service");

    public static StackLayout fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static StackLayout fromEnvironment(Map<String, String> env) {
        String home = env.get(HOME_ENV);
        Path root = Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
        String state = env.get(STATE_DIR_ENV);
        Path stateDir = state == null || state.isBlank() ? root.resolve(".batchscope")
                : Path.of(state).toAbsolutePath().normalize();
        return new StackLayout(root, stateDir);
    }

    public Path stackFile() {
        return stateDir.resolve("stack.json");
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path pidDir() {
        return stateDir.resolve("pids");
    }

    public Path kafkaStateDir() {
        return stateDir.resolve("kafka");
    }

    public Path checkpointDir() {
        return stateDir.resolve("checkpoints");
    }

    public Path kafkaLibDir() {
        return root.resolve("infra/target/kafka-libs");
    }

    /** The runnable Quarkus application of a service module, e.g. "scheduler-service". */
    public Path serviceJar(String module) {
        return ServiceCommand.packagedJar(root.resolve(module));
    }

    /** Whether the root is a batchscope checkout that can build the services. */
    public boolean isCheckout() {
        return Files.isRegularFile(root.resolve("pom.xml")) && Files.isRegularFile(root.resolve("mvnw"))
                && Files.isDirectory(root.resolve("trainer-service"));
    }

    public boolean built() {
        return Files.isDirectory(kafkaLibDir()) && SERVICE_MODULES.stream().allMatch(m -> Files.exists(serviceJar(m)));
    }

    /** A path as the user should read it: relative to the working directory when it lies below it. */
    public static String display(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
    }
}

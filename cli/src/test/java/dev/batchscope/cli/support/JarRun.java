package dev.batchscope.cli.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged CLI run as the launcher runs it ({@code java -jar cli/target/batchscope.jar}), in a process of its own
 * with only the BATCHSCOPE_* variables a test gives it.
 */
public record JarRun(int exitCode, String out, String err) {
    public static final Path JAR = Path.of(System.getProperty("batchscope.cli.jar", "target/batchscope.jar"));

    public static JarRun of(Map<String, String> env, Duration timeout, String... args) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("no jar at " + JAR.toAbsolutePath() + "; run mvn -pl cli package first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("BATCHSCOPE_"));
        builder.environment().putAll(env);
        try {
            Path out = Files.createTempFile("batchscope-out", ".txt");
            Path err = Files.createTempFile("batchscope-err", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("batchscope " + String.join(" ", args) + " did not end within " + timeout
                        + "\n--- out\n" + Files.readString(out) + "--- err\n" + Files.readString(err));
            }
            JarRun run = new JarRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return run;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JarRun of(Map<String, String> env, String... args) {
        return of(env, Duration.ofSeconds(60), args);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}

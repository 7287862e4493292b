package dev.batchscope.testing.process;

import dev.batchscope.launcher.LogTail;
import dev.batchscope.launcher.LoopbackPorts;
import dev.batchscope.launcher.Readiness;
import dev.batchscope.launcher.ServiceCommand;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service ({@code <module>/target/quarkus-app/quarkus-run.jar}) run as its own JVM, as in production:
 * on a free loopback port, its output appended to {@code <logDir>/<name>.log}. Nothing here imitates a service;
 * tests use it to restart, scale out, kill and scrape the real one.
 * <pre>{@code
 * try (ServiceProcess metrics = ServiceProcess.builder(ServiceProcess.packagedJar(Path.of("../metrics-service")))
 *         .env("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())
 *         .systemProperty("batchscope.metrics.finished-run-ttl", "1H")
 *         .jvmOptions("-Xmx384m")
 *         .start()) {
 *     metrics.awaitReady(Duration.ofSeconds(90));
 *     String exposition = metrics.get("/q/metrics");
 * }
 * }</pre>
 */
public final class ServiceProcess implements AutoCloseable {
    /** The address the service binds to and the tests call: loopback, so parallel test runs do not collide. */
    public static final String HOST = LoopbackPorts.HOST;
    /** -D keys whose values the log header does not show. */
    private static final java.util.regex.Pattern SECRET_KEY =
            java.util.regex.Pattern.compile("(?i)password|secret|token|jaas");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final Duration stopTimeout;
    /** Kills the process if the test JVM exits without closing it, so no service outlives its test run. */
    private final Thread reaper;

    private ServiceProcess(String name, Process process, int port, Path log, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.stopTimeout = stopTimeout;
        this.reaper = new Thread(process::destroyForcibly, "reap-" + name);
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Where Quarkus packages a module's fast-jar. */
    public static Path packagedJar(Path moduleDir) {
        return ServiceCommand.packagedJar(moduleDir);
    }

    public static Builder builder(Path jar) {
        return new Builder(jar);
    }

    /** A port nothing listens on right now (for a service to take, or for a client to find closed). */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** {@code host:port}, as a Prometheus target or a client's authority. */
    public String address() {
        return HOST + ":" + port;
    }

    /** The service's base URL, no trailing slash. */
    public String url() {
        return "http://" + address();
    }

    /** {@code path} on the service, e.g. {@code url("/q/metrics")}. */
    public String url(String path) {
        return url() + path;
    }

    /** GET, the body as text; null when the service does not answer 200 (yet). */
    public String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException notAnswering) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + name, e);
        }
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 (for our services: connected, and state rebuilt from the
     * topics). Fails at once, with the end of the log, if the process exits first.
     */
    public ServiceProcess awaitReady(Duration timeout) {
        try {
            Readiness.awaitAll(List.of(Readiness.Target.of(name, url(), process, log)), timeout, ready -> { });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        return this;
    }

    /**
     * CPU seconds (user + system) the process has used so far, from /proc/&lt;pid&gt;/stat; NaN where there is no
     * /proc. Counts at the kernel's USER_HZ, 100 per second on Linux.
     */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // the command name may contain spaces: count fields after its closing parenthesis; utime and stime
            // (fields 14 and 15 of stat) are then at indexes 11 and 12
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The last {@code lines} lines of the service's log, for failure messages. */
    public String logTail(int lines) {
        return LogTail.of(log, lines);
    }

    /** SIGKILL, as a crashed node or an OOM killer: no shutdown hooks, no final commit. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Stops it as an orchestrator does: SIGTERM, then SIGKILL if it has not exited within the stop timeout. */
    @Override
    public void close() {
        process.destroy();
        finishClose();
    }

    /**
     * Closes several at once: SIGTERM to all first, so they shut down side by side instead of one after the other.
     * Null entries (a service that never started) are passed over.
     */
    public static void closeAll(List<ServiceProcess> services) {
        services.stream().filter(Objects::nonNull).forEach(service -> service.process.destroy());
        services.stream().filter(Objects::nonNull).forEach(ServiceProcess::finishClose);
    }

    private void finishClose() {
        if (!awaitExit(stopTimeout)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook is running or about to, and the process is gone either way
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", " + url() + ")";
    }

    /** What to start: the jar, and what the service reads from its command line and environment. */
    public static final class Builder {
        private final Path jar;
        private String name;
        private Path logDir;
        private Path directory;
        private int port;
        private Duration stopTimeout = Duration.ofSeconds(30);
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder(Path jar) {
            this.jar = Objects.requireNonNull(jar, "jar").toAbsolutePath().normalize();
        }

        /** Names the log file and the messages; default: the module folder the jar was packaged in. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Where {@code <name>.log} goes; default: the module's target folder, next to quarkus-app. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** The process's working directory; default: this JVM's. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** A fixed port, e.g. to restart a service where its clients expect it; default: a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long {@link #close()} waits after SIGTERM before it kills; default 30 s. */
        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
            return this;
        }

        /** Added to this JVM's environment, which the service inherits. */
        public Builder env(String variable, String value) {
            env.put(variable, value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** A {@code -Dkey=value}: for Quarkus, the strongest config source, over env and application.properties. */
        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        public Builder systemProperties(Map<String, String> properties) {
            systemProperties.putAll(properties);
            return this;
        }

        /** Options for the service's JVM, e.g. {@code -Xmx384m}. */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        /** The command line for the log, with the values of secret-looking -D settings left out. */
        private static String redacted(List<String> command) {
            List<String> shown = new ArrayList<>();
            for (String argument : command) {
                int equals = argument.indexOf('=');
                boolean secret = argument.startsWith("-D") && equals > 0
                        && SECRET_KEY.matcher(argument.substring(2, equals)).find();
                shown.add(secret ? argument.substring(0, equals + 1) + "[hidden]" : argument);
            }
            return String.join(" ", shown);
        }

        /** Starts the process; it is not ready yet: call {@link ServiceProcess#awaitReady(Duration)}. */
        public ServiceProcess start() throws IOException {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the service first (mvn -B -pl "
                        + moduleName() + " package -DskipTests)");
            }
            String processName = name != null ? name : moduleName();
            Path dir = logDir != null ? logDir : jar.getParent().getParent();
            Files.createDirectories(dir);
            Path log = dir.resolve(processName + ".log");
            int chosenPort = port > 0 ? port : freePort();

            List<String> options = new ArrayList<>(jvmOptions);
            systemProperties.forEach((key, value) -> options.add("-D" + key + "=" + value));
            List<String> command = ServiceCommand.of(jar, chosenPort, options);

            // appended, with a header: a test that restarts a service keeps every life of it in one file
            Files.writeString(log, "=== " + Instant.now() + " " + processName + " on port " + chosenPort + ": "
                    + redacted(command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(env);
            return new ServiceProcess(processName, builder.start(), chosenPort, log, stopTimeout);
        }

        /** {@code <module>} of {@code <module>/target/quarkus-app/quarkus-run.jar}, else the jar's file name. */
        private String moduleName() {
            Path quarkusApp = jar.getParent();
            Path target = quarkusApp == null ? null : quarkusApp.getParent();
            Path module = target == null ? null : target.getParent();
            return module != null && module.getFileName() != null ? module.getFileName().toString()
                    : jar.getFileName().toString();
        }
    }
}

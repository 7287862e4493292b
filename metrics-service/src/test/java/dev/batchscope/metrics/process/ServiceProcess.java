package dev.batchscope.metrics.process;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged metrics service (target/quarkus-app) run as its own process, as in production: for the restart and
 * scale-out tests and the benchmark. Its log goes to target/&lt;name&gt;.log.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final int port;
    private final String name;

    private ServiceProcess(Process process, int port, String name) {
        this.process = process;
        this.port = port;
        this.name = name;
    }

    /**
     * @param config extra -D settings, e.g. batchscope.metrics.finished-run-ttl
     */
    public static ServiceProcess start(String name, String bootstrapServers, Map<String, String> config,
                                       String... jvmOptions) throws IOException {
        Path target = moduleDir().resolve("target");
        Path jar = target.resolve("quarkus-app").resolve("quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: package the module first");
        }
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Dquarkus.http.port=" + port);
        config.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(target.resolve(name + ".log").toFile());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        return new ServiceProcess(builder.start(), port, name);
    }

    /** The module directory: the working directory of tests, given explicitly when run through exec:java. */
    public static Path moduleDir() {
        return Path.of(System.getProperty("batchscope.module.dir", "."));
    }

    /** CPU seconds (user + system) the process has used so far, from /proc; NaN where there is no /proc. */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 and 15 of stat (utime, stime), counted after the command name: indexes 11 and 12
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    public int port() {
        return port;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** GET, the body as text; null when the service does not answer (yet). */
    public String get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(path)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until /q/health/ready answers UP: the service has rebuilt its state from the topics. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (get("/q/health/ready") == null) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see target/"
                        + name + ".log");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + "; see target/" + name
                        + ".log");
            }
            sleep(100);
        }
    }

    /** Stops the service the way an orchestrator does: SIGTERM, then wait for a graceful exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

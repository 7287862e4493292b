package dev.batchscope.cli.stack;

import java.io.IOException;
import java.net.InetAddress;
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

/** Starts one service as its own JVM process and waits for its readiness check. */
final class ServiceLauncher {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackLayout layout;

    ServiceLauncher(StackLayout layout) {
        this.layout = layout;
    }

    /** Starts {@code module} on {@code port} with the given extra environment; does not wait. */
    StackState.ServiceInfo start(String name, String module, int port, Map<String, String> env, String heap)
            throws IOException {
        Files.createDirectories(layout.logDir());
        Path log = layout.logDir().resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-jar");
        command.add(layout.serviceJar(module).toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(layout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        Process process = builder.start();
        return new StackState.ServiceInfo(name, module, process.pid(), port, log.toString());
    }

    /** Waits until the service answers {@code /q/health/ready} with 200, or fails with the tail of its log. */
    void awaitReady(StackState.ServiceInfo service, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!service.alive()) {
                throw new StackException(service.name() + " exited during start-up. Last lines of " + service.log()
                        + ":\n" + tail(Path.of(service.log()), 15));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new StackException(service.name() + " was not ready after " + timeout.toSeconds() + " s. Last lines of "
                + service.log() + ":\n" + tail(Path.of(service.log()), 15));
    }

    /** {@code preferred} if nothing listens there, otherwise any free loopback port. */
    static int portNear(int preferred) throws IOException {
        try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException taken) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                return socket.getLocalPort();
            }
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Starts the stack's processes and waits for their readiness checks. Each process gets a session of its own
 * ({@code setsid}), so that Ctrl-C on a command that is still running in the terminal (say {@code demo}) reaches
 * only the command and leaves the stack up.
 */
final class ServiceLauncher {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final StackLayout layout;

    ServiceLauncher(StackLayout layout) {
        this.layout = layout;
    }

    /** What to start: a service module on a port, with its heap, extra JVM flags and environment. */
    record Launch(String name, String module, int port, String heap, List<String> jvmFlags, Map<String, String> env) {
    }

    /** Starts the service; does not wait for it. Its output goes to {@code logs/<name>.log}, replacing the last one. */
    StackState.ServiceInfo start(Launch launch) throws IOException {
        Path log = layout.logDir().resolve(launch.name() + ".log");
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add("-Xmx" + launch.heap());
        command.addAll(launch.jvmFlags());
        command.add("-jar");
        command.add(layout.serviceJar(launch.module()).toString());
        ProcessBuilder builder = detached(command)
                .directory(layout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(launch.env());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(launch.port()));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        Process process = builder.start();
        writePid(launch.name(), process.pid());
        return new StackState.ServiceInfo(launch.name(), launch.module(), process.pid(),
                StackProcess.startMillis(process.pid()), launch.port(), log.toString());
    }

    /**
     * Waits until every service answers {@code /q/health/ready} with 200, telling {@code onReady} about each as it
     * gets there. Fails with the tail of its log when one exits or is not ready in time.
     */
    void awaitReady(List<StackState.ServiceInfo> services, Duration timeout, Consumer<StackState.ServiceInfo> onReady)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<StackState.ServiceInfo> waiting = new LinkedHashSet<>(services);
        while (!waiting.isEmpty()) {
            for (StackState.ServiceInfo service : List.copyOf(waiting)) {
                if (!service.alive()) {
                    throw new StackException(service.name() + " exited while starting. Last lines of "
                            + StackLayout.display(Path.of(service.log())) + ":\n" + tail(Path.of(service.log()), 20));
                }
                if (isReady(service)) {
                    waiting.remove(service);
                    onReady.accept(service);
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    StackState.ServiceInfo late = waiting.iterator().next();
                    throw new StackException(late.name() + " was not ready after " + timeout.toSeconds()
                            + " s. Last lines of " + StackLayout.display(Path.of(late.log())) + ":\n"
                            + tail(Path.of(late.log()), 20));
                }
                Thread.sleep(500);
            }
        }
    }

    /** Whether the service answers its readiness check now. */
    static boolean isReady(StackState.ServiceInfo service) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            return HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void writePid(String name, long pid) throws IOException {
        Files.createDirectories(layout.pidDir());
        Files.writeString(layout.pidDir().resolve(name + ".pid"), pid + "\n");
    }

    /** A command that runs in a session of its own where setsid exists, as it is otherwise. */
    static ProcessBuilder detached(List<String> command) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // setsid execs the command in place (the child of a JVM is no group leader), so the pid stays the service's
            full.add(SETSID.toString());
        }
        full.addAll(command);
        return new ProcessBuilder(full);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code preferred} if nothing listens there, otherwise any free loopback port. */
    static int portNear(int preferred, Set<Integer> taken) throws IOException {
        if (!taken.contains(preferred)) {
            try (ServerSocket socket = new ServerSocket(preferred, 1, InetAddress.getByName("127.0.0.1"))) {
                return socket.getLocalPort();
            } catch (IOException busy) {
                // fall through to any free port
            }
        }
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (!taken.contains(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    /** The last lines of a log, read leniently (a service may have died mid-character). */
    static String tail(Path file, int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

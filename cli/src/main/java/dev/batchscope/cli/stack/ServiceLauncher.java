package dev.batchscope.cli.stack;

import dev.batchscope.launcher.LogTail;
import dev.batchscope.launcher.LoopbackPorts;
import dev.batchscope.launcher.Readiness;
import dev.batchscope.launcher.ServiceCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        List<String> options = new ArrayList<>();
        options.add("-Xmx" + launch.heap());
        options.addAll(launch.jvmFlags());
        ProcessBuilder builder = detached(ServiceCommand.of(layout.serviceJar(launch.module()), launch.port(), options))
                .directory(layout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(launch.env());
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
        Map<String, StackState.ServiceInfo> byName = new LinkedHashMap<>();
        services.forEach(service -> byName.put(service.name(), service));
        List<Readiness.Target> targets = services.stream().map(service -> new Readiness.Target(service.name(),
                service.url(), service::alive, () -> -1, Path.of(service.log()),
                StackLayout.display(Path.of(service.log()))))
                .toList();
        try {
            Readiness.awaitAll(targets, timeout, ready -> onReady.accept(byName.get(ready.name())));
        } catch (Readiness.NotReadyException e) {
            throw new StackException(e.getMessage());
        }
    }

    /** Whether the service answers its readiness check now. */
    static boolean isReady(StackState.ServiceInfo service) {
        return Readiness.isReady(service.url());
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
        return ServiceCommand.java();
    }

    /** {@code preferred} if nothing listens there, otherwise any free loopback port. */
    static int portNear(int preferred, Set<Integer> taken) {
        return LoopbackPorts.near(preferred, taken);
    }

    /** The last lines of a log, read leniently (a service may have died mid-character). */
    static String tail(Path file, int lines) {
        return LogTail.of(file, lines);
    }
}

package dev.batchscope.cli.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Faults and restarts for a running local stack, one process at a time: what the reliability drills do to it
 * (docs/reliability.md). A stopped process starts again exactly as it was started, with the command line, environment
 * and working directory read back from /proc, so it comes back on the same port (the broker on the same listeners)
 * with the same settings. Every change is saved in {@code stack.json}, so {@code status} and {@code down} see it.
 */
public final class StackControl {
    private static final String KAFKA = "kafka";
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(40);
    private static final Duration BROKER_READY = Duration.ofSeconds(120);

    private final LocalStack stack;
    private final StackLayout layout;

    public StackControl(LocalStack stack) {
        this.stack = stack;
        this.layout = stack.layout();
    }

    /** A process that was stopped, and how to start it again. */
    public record Stopped(String name, StackProcess.Image image) {
    }

    /** SIGKILL: the process gets no chance to checkpoint, flush, commit or leave its consumer groups. */
    public Stopped kill(String name) {
        return stop(name, true);
    }

    /** SIGTERM (SIGKILL after a grace period): the process shuts down as it does on {@code down}. */
    public Stopped stop(String name) {
        return stop(name, false);
    }

    private Stopped stop(String name, boolean crash) {
        StackState state = current();
        long pid;
        Long startMillis;
        if (KAFKA.equals(name)) {
            pid = state.kafka().pid();
            startMillis = state.kafka().startMillis();
        } else {
            StackState.ServiceInfo service = state.service(name).orElseThrow(() -> new StackException(
                    "no process named " + name + " in the stack; it has " + names(state)));
            pid = service.pid();
            startMillis = service.startMillis();
        }
        if (!StackProcess.isRunning(pid, startMillis)) {
            throw new StackException(name + " (pid " + pid + ") is not running");
        }
        StackProcess.Image image = StackProcess.image(pid);
        if (crash) {
            StackProcess.kill(pid, startMillis);
        } else {
            StackProcess.stop(pid, startMillis, SERVICE_GRACE);
        }
        return new Stopped(name, image);
    }

    /**
     * Starts a stopped process again the way it was started, its output appended to its log, and waits until it is
     * ready: a service answers its readiness check, the broker its clients.
     */
    public StackState start(Stopped stopped) throws IOException, InterruptedException {
        StackState state = current();
        if (KAFKA.equals(stopped.name())) {
            Path log = Path.of(state.kafka().log());
            Process process = launch(stopped.image(), log);
            StackState.KafkaInfo kafka = new StackState.KafkaInfo(process.pid(), StackProcess.startMillis(process.pid()),
                    state.kafka().bootstrapServers(), state.kafka().log());
            // the broker's own pid file, which `down` also consults
            Files.writeString(layout.kafkaStateDir().resolve("kafka.pid"), Long.toString(process.pid()));
            new ServiceLauncher(layout).writePid(KAFKA, process.pid());
            StackState updated = state.withKafka(kafka);
            updated.write(layout.stackFile());
            awaitBroker(process, kafka.bootstrapServers(), log);
            return updated;
        }
        StackState.ServiceInfo before = state.service(stopped.name()).orElseThrow();
        Process process = launch(stopped.image(), Path.of(before.log()));
        new ServiceLauncher(layout).writePid(before.name(), process.pid());
        StackState.ServiceInfo after = new StackState.ServiceInfo(before.name(), before.module(), process.pid(),
                StackProcess.startMillis(process.pid()), before.port(), before.log());
        StackState updated = state.withService(after);
        updated.write(layout.stackFile());
        new ServiceLauncher(layout).awaitReady(List.of(after), LocalStack.READY_TIMEOUT, ready -> { });
        return updated;
    }

    /** Stops a service (SIGKILL when {@code crash}, else SIGTERM) and starts it again; waits until it is ready. */
    public StackState restart(String name, boolean crash) throws IOException, InterruptedException {
        return start(stop(name, crash));
    }

    /**
     * Starts one more process of a service module beside the stack's, on a free port, with extra JVM flags (say a
     * metrics-service in a consumer group of its own, which sees everything the stack's one sees); {@code down}
     * stops it with the others. Does not wait for it: {@link #awaitReady} does.
     */
    public StackState addService(String name, String module, List<String> jvmFlags) throws IOException {
        StackState state = current();
        if (state.service(name).isPresent() || KAFKA.equals(name)) {
            throw new StackException("the stack already has a process named " + name);
        }
        int port = ServiceLauncher.portNear(0, Set.of());
        StackState.ServiceInfo added = new ServiceLauncher(layout).start(stack.launchOf(name, module, port,
                state.kafka().bootstrapServers(), Math.max(1, state.trainers().size()), jvmFlags));
        StackState updated = state.withService(added);
        updated.write(layout.stackFile());
        return updated;
    }

    /** Waits until the named service answers its readiness check; fails with its log's tail if it exits first. */
    public void awaitReady(String name) throws InterruptedException {
        StackState.ServiceInfo service = current().service(name).orElseThrow(() -> new StackException(
                "no process named " + name + " in the stack"));
        new ServiceLauncher(layout).awaitReady(List.of(service), LocalStack.READY_TIMEOUT, ready -> { });
    }

    private StackState current() {
        return stack.state().orElseThrow(() -> new StackException("batchscope is not running; start it with `batchscope up`"));
    }

    private static Process launch(StackProcess.Image image, Path log) throws IOException {
        ProcessBuilder builder = ServiceLauncher.detached(image.command())
                .directory(image.directory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(image.environment());
        return builder.start();
    }

    private static void awaitBroker(Process process, String bootstrapServers, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + BROKER_READY.toNanos();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException("the Kafka broker exited while starting again. Last lines of "
                        + StackLayout.display(log) + ":\n" + ServiceLauncher.tail(log, 20));
            }
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(250);
            }
        }
        throw new StackException("the Kafka broker was not back within " + BROKER_READY.toSeconds() + " s; see "
                + StackLayout.display(log));
    }

    private static String names(StackState state) {
        StringBuilder sb = new StringBuilder(KAFKA);
        state.services().forEach(s -> sb.append(", ").append(s.name()));
        return sb.toString();
    }
}

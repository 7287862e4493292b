package dev.batchscope.cli.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.infra.local.LocalKafkaBroker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The whole batchscope stack on one machine without Docker: a Kafka broker process and the three services as
 * separate JVMs built by the reactor. {@code up} records what it started in {@code .batchscope/stack.json};
 * {@code down} stops exactly those processes.
 */
public final class LocalStack {
    public static final int SCHEDULER_PORT = 8080;
    public static final int TRAINER_PORT = 8081;
    public static final int METRICS_PORT = 8082;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = EventJson.mapper();

    private final StackLayout layout;
    private final PrintWriter out;

    public LocalStack(StackLayout layout, PrintWriter out) {
        this.layout = layout;
        this.out = out;
    }

    /** The stack as saved by the last {@code up}, if any. */
    public Optional<StackState> state() throws IOException {
        if (!Files.exists(layout.stackFile())) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(layout.stackFile().toFile(), StackState.class));
    }

    /**
     * Starts broker, scheduler, metrics-service and {@code trainers} trainers, and waits until each is ready.
     * Returns the running stack; if one is already running, says so and returns it unchanged.
     */
    public StackState up(int trainers) throws IOException, InterruptedException {
        Optional<StackState> existing = state();
        if (existing.isPresent() && existing.get().anyAlive()) {
            out.println("batchscope is already running (see `batchscope status`; `batchscope down` stops it)");
            return existing.get();
        }
        ensureBuilt();
        LocalKafkaBroker.Running kafka = new LocalKafkaBroker(layout.kafkaStateDir(), layout.kafkaLibDir()).start();
        out.println("kafka      ready at " + kafka.bootstrapServers());
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "BATCHSCOPE_CHECKPOINT_DIR", layout.checkpointDir().toString());
        ServiceLauncher launcher = new ServiceLauncher(layout);
        List<StackState.ServiceInfo> started = new ArrayList<>();
        StackState state = new StackState(new StackState.KafkaInfo(kafka.pid(), kafka.bootstrapServers()), started);
        try {
            started.add(launcher.start("scheduler", "scheduler-service", ServiceLauncher.portNear(SCHEDULER_PORT), env, "384m"));
            started.add(launcher.start("metrics", "metrics-service", ServiceLauncher.portNear(METRICS_PORT), env, "768m"));
            for (int i = 1; i <= trainers; i++) {
                started.add(launcher.start("trainer-" + i, "trainer-service",
                        ServiceLauncher.portNear(TRAINER_PORT + (i - 1) * 10), env, "2g"));
            }
            save(state);
            for (StackState.ServiceInfo service : started) {
                launcher.awaitReady(service, READY_TIMEOUT);
                out.printf("%-10s ready at %s%n", service.name(), service.url());
                out.flush();
            }
        } catch (RuntimeException | IOException | InterruptedException e) {
            down();
            throw e;
        }
        return state;
    }

    /** Stops every process that {@code up} started. Returns false when nothing was running. */
    public boolean down() throws IOException {
        Optional<StackState> state = state();
        boolean stoppedSomething = false;
        if (state.isPresent()) {
            for (StackState.ServiceInfo service : state.get().services()) {
                stoppedSomething |= stop(service.pid());
            }
        }
        stoppedSomething |= new LocalKafkaBroker(layout.kafkaStateDir(), layout.kafkaLibDir()).stop();
        Files.deleteIfExists(layout.stackFile());
        return stoppedSomething;
    }

    private void save(StackState state) throws IOException {
        Files.createDirectories(layout.stateDir());
        JSON.writerWithDefaultPrettyPrinter().writeValue(layout.stackFile().toFile(), state);
    }

    private void ensureBuilt() throws IOException, InterruptedException {
        if (layout.built()) {
            return;
        }
        out.println("building batchscope once (a few minutes); log in " + layout.logDir().resolve("build.log"));
        out.flush();
        Files.createDirectories(layout.logDir());
        Process build = new ProcessBuilder(layout.root().resolve("mvnw").toString(), "-B", "-q", "install", "-DskipTests")
                .directory(layout.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(layout.logDir().resolve("build.log").toFile())
                .start();
        if (build.waitFor() != 0 || !layout.built()) {
            throw new StackException("the build failed; see " + layout.logDir().resolve("build.log") + ":\n"
                    + ServiceLauncher.tail(layout.logDir().resolve("build.log"), 15));
        }
    }

    /** SIGTERM, then SIGKILL after a grace period: services flush their producers on a normal stop. */
    private static boolean stop(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        handle.get().destroy();
        try {
            handle.get().onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.get().destroyForcibly();
            handle.get().onExit().join();
        }
        return true;
    }
}

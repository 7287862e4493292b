package dev.batchscope.cli.stack;

import dev.batchscope.infra.local.LocalKafkaBroker;
import dev.batchscope.infra.local.LocalKafkaMain;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole batchscope stack on one machine without Docker: a Kafka broker process and the three services as
 * separate JVMs built by the reactor. {@code up} records what it started in {@code stack.json}; {@code down} stops
 * exactly those processes.
 */
public final class LocalStack {
    public static final int SCHEDULER_PORT = 8080;
    public static final int TRAINER_PORT = 8081;
    public static final int METRICS_PORT = 8082;
    static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(150);
    /** A trainer stopping mid-run checkpoints first; the others only flush their producers. */
    private static final Duration TRAINER_GRACE = Duration.ofSeconds(40);
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(20);

    private final StackLayout layout;
    private final PrintWriter out;
    /** Extra JVM flags per module, after the usual ones (a -D flag sets any Quarkus or Kafka client property). */
    private final Map<String, List<String>> extraFlags;

    public LocalStack(StackLayout layout, PrintWriter out) {
        this(layout, out, Map.of());
    }

    private LocalStack(StackLayout layout, PrintWriter out, Map<String, List<String>> extraFlags) {
        this.layout = layout;
        this.out = out;
        this.extraFlags = Map.copyOf(extraFlags);
    }

    /**
     * This stack with more JVM flags for every process of {@code module} that {@code up} starts, e.g.
     * {@code -Dmp.messaging.incoming.runs-requested.session.timeout.ms=6000} for the trainers.
     */
    public LocalStack withJvmFlags(String module, List<String> flags) {
        if (!StackLayout.SERVICE_MODULES.contains(module)) {
            throw new IllegalArgumentException("module must be one of " + StackLayout.SERVICE_MODULES + ", got " + module);
        }
        Map<String, List<String>> merged = new HashMap<>(extraFlags);
        List<String> all = new ArrayList<>(merged.getOrDefault(module, List.of()));
        all.addAll(flags);
        merged.put(module, List.copyOf(all));
        return new LocalStack(layout, out, merged);
    }

    public StackLayout layout() {
        return layout;
    }

    /** The stack as saved by the last {@code up}, if any (it may have died since). */
    public Optional<StackState> state() {
        return StackState.read(layout.stackFile());
    }

    /** The outcome of {@code up}: the stack, and whether this call started it. */
    public record Up(StackState state, boolean started) {
    }

    /**
     * Starts broker, scheduler, metrics-service and {@code trainers} trainers, and waits until each is ready.
     * If the stack already runs, leaves it as it is; if part of it has died, fails naming what and why.
     */
    public Up up(int trainers) throws IOException, InterruptedException {
        if (trainers < 1 || trainers > 16) {
            throw new StackException("--trainers: must be from 1 to 16, got " + trainers);
        }
        Optional<StackState> existing = state();
        if (existing.isPresent() && existing.get().anyAlive()) {
            StackState running = existing.get();
            if (!running.allAlive()) {
                throw new StackException(crashReport(running) + "\nStop what is left with `batchscope down`, then start "
                        + "again with `batchscope up`.");
            }
            return new Up(running, false);
        }
        if (existing.isPresent()) {
            // the last stack died with the machine or was killed: forget it
            Files.deleteIfExists(layout.stackFile());
        }
        ServiceBuild.ensureBuilt(layout, out);
        Files.createDirectories(layout.logDir());
        LocalKafkaBroker.Running kafka = startKafka();
        StackState.KafkaInfo kafkaInfo = new StackState.KafkaInfo(kafka.pid(), StackProcess.startMillis(kafka.pid()),
                kafka.bootstrapServers(), layout.kafkaStateDir().resolve("kafka.log").toString());
        out.printf("%-10s ready at %s%n", "kafka", kafka.bootstrapServers());
        out.flush();

        ServiceLauncher launcher = new ServiceLauncher(layout);
        List<StackState.ServiceInfo> started = new ArrayList<>();
        StackState state = new StackState(Instant.now(), kafkaInfo, started);
        try {
            launcher.writePid("kafka", kafka.pid());
            for (ServiceLauncher.Launch launch : launches(trainers, kafka.bootstrapServers())) {
                started.add(launcher.start(launch));
                state = new StackState(state.startedAt(), kafkaInfo, started);
                state.write(layout.stackFile());
            }
            launcher.awaitReady(started, READY_TIMEOUT, service -> {
                out.printf("%-10s ready at %s%n", service.name(), service.url());
                out.flush();
            });
        } catch (IOException | InterruptedException | RuntimeException e) {
            out.println("stopping what was started");
            out.flush();
            state.write(layout.stackFile());
            down();
            throw e;
        }
        return new Up(state, true);
    }

    /** What to start: scheduler, metrics-service and the trainers, each on its usual port when that is free. */
    private List<ServiceLauncher.Launch> launches(int trainers, String bootstrapServers) throws IOException {
        Set<Integer> taken = new HashSet<>();
        List<ServiceLauncher.Launch> launches = new ArrayList<>();
        int schedulerPort = ServiceLauncher.portNear(SCHEDULER_PORT, taken);
        taken.add(schedulerPort);
        launches.add(launchOf("scheduler", "scheduler-service", schedulerPort, bootstrapServers, trainers, List.of()));
        int metricsPort = ServiceLauncher.portNear(METRICS_PORT, taken);
        taken.add(metricsPort);
        launches.add(launchOf("metrics", "metrics-service", metricsPort, bootstrapServers, trainers, List.of()));
        for (int i = 1; i <= trainers; i++) {
            int port = ServiceLauncher.portNear(i == 1 ? TRAINER_PORT : TRAINER_PORT + 10 * (i - 1), taken);
            taken.add(port);
            launches.add(launchOf("trainer-" + i, "trainer-service", port, bootstrapServers, trainers, List.of()));
        }
        return launches;
    }

    /**
     * How a process of {@code module} starts: its heap, JVM flags (the usual ones, then this stack's extra ones for
     * the module, then {@code flags}) and environment.
     *
     * @param trainers how many trainers share the cores
     */
    ServiceLauncher.Launch launchOf(String name, String module, int port, String bootstrapServers, int trainers,
                                    List<String> flags) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("BATCHSCOPE_CHECKPOINT_DIR", layout.checkpointDir().toString());
        ServiceRecipe recipe = ServiceRecipe.of(module);
        env.putAll(recipe.environment(name, trainers));
        List<String> jvm = new ArrayList<>(recipe.jvmFlags());
        jvm.addAll(extraFlags.getOrDefault(module, List.of()));
        jvm.addAll(flags);
        return new ServiceLauncher.Launch(name, module, port, recipe.heap(), jvm, env);
    }

    /**
     * The broker through {@link LocalKafkaMain} in a session of its own, so that it outlives this command and
     * ignores the terminal's Ctrl-C like the services do.
     */
    private LocalKafkaBroker.Running startKafka() throws IOException, InterruptedException {
        LocalKafkaBroker broker = new LocalKafkaBroker(layout.kafkaStateDir(), layout.kafkaLibDir());
        Optional<LocalKafkaBroker.Running> leftover = broker.running();
        if (leftover.isPresent()) {
            // a broker from a stack whose stack.json is gone: it belongs to this state directory, so it is ours
            out.println("stopping a broker left from an earlier stack (pid " + leftover.get().pid() + ")");
            broker.stop();
        }
        Path startLog = layout.logDir().resolve("kafka-start.log");
        Process start = ServiceLauncher.detached(List.of(ServiceLauncher.java(), "-Xmx128m", "-cp",
                        System.getProperty("java.class.path"), LocalKafkaMain.class.getName(), "start",
                        layout.kafkaStateDir().toString(), layout.kafkaLibDir().toString()))
                .redirectErrorStream(true)
                .redirectOutput(startLog.toFile())
                .start();
        if (!start.waitFor(KAFKA_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
            start.destroyForcibly();
            broker.stop();
            throw new StackException("the Kafka broker did not start within " + KAFKA_TIMEOUT.toSeconds() + " s; see "
                    + StackLayout.display(layout.kafkaStateDir().resolve("kafka.log")));
        }
        Optional<LocalKafkaBroker.Running> running = broker.running();
        if (start.exitValue() != 0 || running.isEmpty()) {
            throw new StackException("the Kafka broker did not start. Last lines of "
                    + StackLayout.display(startLog) + ":\n" + ServiceLauncher.tail(startLog, 15)
                    + "\nand of " + StackLayout.display(layout.kafkaStateDir().resolve("kafka.log")) + ":\n"
                    + ServiceLauncher.tail(layout.kafkaStateDir().resolve("kafka.log"), 15));
        }
        return running.get();
    }

    /** The outcome of {@code down}: what was stopped, and what is still running (should be nothing). */
    public record Down(List<String> stopped, List<String> left) {
    }

    /**
     * Stops every process that {@code up} started: trainers first (they checkpoint), then scheduler and
     * metrics-service, the broker last. Then checks that none of them is left.
     */
    public Down down() throws IOException {
        Optional<StackState> saved = state();
        LocalKafkaBroker broker = new LocalKafkaBroker(layout.kafkaStateDir(), layout.kafkaLibDir());
        List<String> stopped = new ArrayList<>();
        if (saved.isPresent()) {
            StackState state = saved.get();
            stopAll(state.trainers(), TRAINER_GRACE, stopped);
            stopAll(state.services().stream().filter(s -> !s.module().equals("trainer-service")).toList(),
                    SERVICE_GRACE, stopped);
            if (state.kafka().alive() && StackProcess.stop(state.kafka().pid(), state.kafka().startMillis(), Duration.ofSeconds(30))) {
                stopped.add("kafka");
            }
        }
        // a broker from this state directory that stack.json does not know (up interrupted before it was saved)
        if (broker.running().isPresent() && broker.stop() && !stopped.contains("kafka")) {
            stopped.add("kafka");
        }
        List<String> left = saved.map(StackState::exited).map(exited -> {
            List<String> alive = new ArrayList<>();
            if (!exited.contains("kafka")) {
                alive.add("kafka (pid " + saved.get().kafka().pid() + ")");
            }
            saved.get().services().stream().filter(StackState.ServiceInfo::alive)
                    .forEach(s -> alive.add(s.name() + " (pid " + s.pid() + ")"));
            return alive;
        }).orElse(List.of());
        if (left.isEmpty()) {
            Files.deleteIfExists(layout.stackFile());
            deletePidFiles();
        }
        return new Down(stopped, left);
    }

    private static void stopAll(List<StackState.ServiceInfo> services, Duration grace, List<String> stopped) {
        // SIGTERM to all of them at once, then wait: stopping one after another would add up the grace periods
        List<Thread> stopping = new ArrayList<>();
        List<String> names = java.util.Collections.synchronizedList(new ArrayList<>());
        for (StackState.ServiceInfo service : services) {
            Thread thread = new Thread(() -> {
                if (StackProcess.stop(service.pid(), service.startMillis(), grace)) {
                    names.add(service.name());
                }
            }, "stop-" + service.name());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        services.stream().map(StackState.ServiceInfo::name).filter(names::contains).forEach(stopped::add);
    }

    private void deletePidFiles() throws IOException {
        if (Files.isDirectory(layout.pidDir())) {
            try (var files = Files.list(layout.pidDir())) {
                for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Which processes of a running stack have exited, each with the tail of its log. */
    public static String crashReport(StackState state) {
        StringBuilder sb = new StringBuilder();
        if (!state.kafka().alive()) {
            appendCrash(sb, "kafka", state.kafka().pid(), Path.of(state.kafka().log()));
        }
        for (StackState.ServiceInfo service : state.services()) {
            if (!service.alive()) {
                appendCrash(sb, service.name(), service.pid(), Path.of(service.log()));
            }
        }
        return sb.toString().stripTrailing();
    }

    private static void appendCrash(StringBuilder sb, String name, long pid, Path log) {
        sb.append(name).append(" (pid ").append(pid).append(") has exited. Last lines of ")
                .append(StackLayout.display(log)).append(":\n").append(ServiceLauncher.tail(log, 15)).append("\n");
    }
}

package dev.batchscope.infra.local;

import dev.batchscope.launcher.LoopbackPorts;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker as a separate process, from Kafka's own jars (copied by the infra build into
 * {@code infra/target/kafka-libs}). No Docker and no download at run time. Everything it writes lives in one
 * state directory: {@code server.properties}, {@code data/}, {@code kafka.log}, {@code kafka.pid} and
 * {@code bootstrap} (the address clients use).
 */
public final class LocalKafkaBroker {
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path stateDir;
    private final Path libDir;

    public LocalKafkaBroker(Path stateDir, Path libDir) {
        this.stateDir = stateDir.toAbsolutePath();
        this.libDir = libDir.toAbsolutePath();
    }

    /** A broker that is running (or whose pid file is stale). */
    public record Running(long pid, String bootstrapServers) {
    }

    /**
     * Formats storage on first use, starts the broker on free loopback ports and waits until it answers.
     * Returns the running broker; if one already runs from this state directory, returns that one.
     */
    public Running start() throws IOException, InterruptedException {
        Optional<Running> existing = running();
        if (existing.isPresent()) {
            return existing.get();
        }
        if (!Files.isDirectory(libDir) || !Files.exists(libDir.resolve(kafkaJarName()))) {
            throw new IllegalStateException("Kafka's jars are not in " + libDir + "; build them with: ./mvnw -pl infra -am package -DskipTests");
        }
        Files.createDirectories(stateDir);
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path config = writeConfig(brokerPort, controllerPort);
        Path log4j = copyResource("log4j2.properties");
        if (!Files.exists(stateDir.resolve("data").resolve("meta.properties"))) {
            format(config, log4j);
        }
        List<String> command = javaCommand(log4j);
        command.add("kafka.Kafka");
        command.add(config.toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve("kafka.log").toFile()))
                .start();
        String bootstrap = LOOPBACK + ":" + brokerPort;
        Files.writeString(stateDir.resolve("kafka.pid"), Long.toString(process.pid()));
        Files.writeString(stateDir.resolve("bootstrap"), bootstrap);
        awaitReady(process, bootstrap);
        return new Running(process.pid(), bootstrap);
    }

    /** The broker started from this state directory, if its process is alive. */
    public Optional<Running> running() throws IOException {
        Path pidFile = stateDir.resolve("kafka.pid");
        Path bootstrapFile = stateDir.resolve("bootstrap");
        if (!Files.exists(pidFile) || !Files.exists(bootstrapFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(handle -> new Running(pid, readString(bootstrapFile)));
    }

    /** Stops the broker by its pid (SIGTERM, then SIGKILL after a grace period). Returns false if none ran. */
    public boolean stop() throws IOException {
        Optional<Running> broker = running();
        Files.deleteIfExists(stateDir.resolve("kafka.pid"));
        if (broker.isEmpty()) {
            return false;
        }
        ProcessHandle handle = ProcessHandle.of(broker.get().pid()).orElseThrow();
        handle.destroy();
        try {
            handle.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
        return true;
    }

    private void format(Path config, Path log4j) throws IOException, InterruptedException {
        List<String> command = javaCommand(log4j);
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", config.toString(), "--ignore-formatted"));
        Process format = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(format.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (format.waitFor() != 0) {
            throw new IllegalStateException("formatting Kafka storage failed:\n" + output);
        }
    }

    private List<String> javaCommand(Path log4j) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // small heap: the broker shares two cores and the memory with three services and the trainers
        command.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-Dkafka.logs.dir=" + stateDir,
                "-cp", libDir + "/*"));
        return command;
    }

    private Path writeConfig(int brokerPort, int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", stateDir.resolve("data").toString());
        // one node: internal topics cannot have more replicas than that
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "1");
        Path config = stateDir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "batchscope local broker (written by LocalKafkaBroker; ports change on every start)");
        }
        return config;
    }

    private void awaitReady(Process process, String bootstrap) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see "
                        + stateDir.resolve("kafka.log") + ":\n" + tail(stateDir.resolve("kafka.log"), 20));
            }
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(250);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the Kafka broker did not become ready within " + READY_TIMEOUT.toSeconds()
                + " s; see " + stateDir.resolve("kafka.log"));
    }

    private Path copyResource(String name) throws IOException {
        Path target = stateDir.resolve(name);
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream(name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static String kafkaJarName() {
        return "kafka_2.13-" + org.apache.kafka.common.utils.AppInfoParser.getVersion() + ".jar";
    }

    private static int freePort() {
        return LoopbackPorts.free();
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

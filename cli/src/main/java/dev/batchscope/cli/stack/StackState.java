package dev.batchscope.cli.stack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code batchscope up} started, saved in {@code stack.json} so that {@code down}, {@code status} and the other
 * commands find it. Each process is remembered by pid and start time: a pid that the system has since given to
 * another program is never mistaken for ours.
 */
public record StackState(Instant startedAt, KafkaInfo kafka, List<ServiceInfo> services) {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public StackState {
        services = List.copyOf(services);
    }

    /** The broker process and the address clients use. */
    public record KafkaInfo(long pid, Long startMillis, String bootstrapServers, String log) {
        public boolean alive() {
            return StackProcess.isRunning(pid, startMillis);
        }
    }

    /**
     * @param name   "scheduler", "metrics", "trainer-1", ...
     * @param module the Maven module it runs from
     */
    public record ServiceInfo(String name, String module, long pid, Long startMillis, int port, String log) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public String prometheusUrl() {
            return url() + "/q/metrics";
        }

        public boolean alive() {
            return StackProcess.isRunning(pid, startMillis);
        }
    }

    /** This state with {@code service} in place of the service of the same name, or added after the others. */
    public StackState withService(ServiceInfo service) {
        List<ServiceInfo> updated = new ArrayList<>(services);
        int index = -1;
        for (int i = 0; i < updated.size(); i++) {
            if (updated.get(i).name().equals(service.name())) {
                index = i;
            }
        }
        if (index >= 0) {
            updated.set(index, service);
        } else {
            updated.add(service);
        }
        return new StackState(startedAt, kafka, updated);
    }

    public StackState withKafka(KafkaInfo broker) {
        return new StackState(startedAt, broker, services);
    }

    public Optional<ServiceInfo> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<ServiceInfo> trainers() {
        return services.stream().filter(s -> s.module().equals("trainer-service")).toList();
    }

    public boolean anyAlive() {
        return kafka.alive() || services.stream().anyMatch(ServiceInfo::alive);
    }

    public boolean allAlive() {
        return kafka.alive() && services.stream().allMatch(ServiceInfo::alive);
    }

    /** Names of the processes that have exited, kafka included. */
    public List<String> exited() {
        List<String> names = new ArrayList<>();
        if (!kafka.alive()) {
            names.add("kafka");
        }
        services.stream().filter(s -> !s.alive()).forEach(s -> names.add(s.name()));
        return names;
    }

    public static Optional<StackState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new StackException(file + " cannot be read (" + e.getMessage() + "); if no batchscope process is "
                    + "running, delete it");
        }
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(temporary.toFile(), this);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}

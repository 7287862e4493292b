package dev.batchscope.cli.stack;

import java.util.List;
import java.util.Optional;

/**
 * What {@code batchscope up} started, saved in {@code .batchscope/stack.json} so that {@code down}, {@code status}
 * and the sweep commands find it.
 */
public record StackState(KafkaInfo kafka, List<ServiceInfo> services) {

    public record KafkaInfo(long pid, String bootstrapServers) {
    }

    /**
     * @param name   "scheduler", "metrics", "trainer-1", ...
     * @param module the Maven module it runs from
     */
    public record ServiceInfo(String name, String module, long pid, int port, String log) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    public Optional<ServiceInfo> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public boolean anyAlive() {
        return services.stream().anyMatch(ServiceInfo::alive)
                || ProcessHandle.of(kafka.pid()).map(ProcessHandle::isAlive).orElse(false);
    }
}

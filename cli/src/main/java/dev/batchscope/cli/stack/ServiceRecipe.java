package dev.batchscope.cli.stack;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How each service module runs in the local stack: its heap, its JVM flags and the environment it needs beyond the
 * broker and checkpoint settings every service gets. One row per module; {@link LocalStack} adds the stack's own
 * extra flags after these.
 */
enum ServiceRecipe {
    // small services on a small machine: one GC thread and quick start-up beat peak throughput
    SCHEDULER("scheduler-service", "256m", List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")),
    METRICS("metrics-service", "768m", List.of("-XX:+UseSerialGC")),
    // the full 60k Fashion-MNIST and its full batch live off the heap, in ND4J's native memory
    TRAINER("trainer-service", "1g", List.of("-XX:+UseSerialGC", "-Dorg.bytedeco.javacpp.maxbytes=6g",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=8g")) {
        @Override
        Map<String, String> environment(String name, int trainers) {
            Map<String, String> env = new HashMap<>();
            env.put("BATCHSCOPE_TRAINER_ID", name);
            int cores = Runtime.getRuntime().availableProcessors();
            // the trainers share the cores: ND4J's native threads per trainer, so that they do not oversubscribe them
            env.put("OMP_NUM_THREADS", System.getenv().getOrDefault("OMP_NUM_THREADS",
                    Integer.toString(Math.max(1, cores / Math.max(1, trainers)))));
            return env;
        }
    };

    private final String module;
    private final String heap;
    private final List<String> jvmFlags;

    ServiceRecipe(String module, String heap, List<String> jvmFlags) {
        this.module = module;
        this.heap = heap;
        this.jvmFlags = jvmFlags;
    }

    static ServiceRecipe of(String module) {
        return Arrays.stream(values()).filter(recipe -> recipe.module.equals(module)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a service module: " + module + "; one of "
                        + Arrays.stream(values()).map(r -> r.module).collect(Collectors.joining(", "))));
    }

    String heap() {
        return heap;
    }

    List<String> jvmFlags() {
        return jvmFlags;
    }

    /**
     * What this module needs in its environment, for the process {@code name} of a stack with {@code trainers}
     * trainers.
     */
    Map<String, String> environment(String name, int trainers) {
        return Map.of();
    }
}

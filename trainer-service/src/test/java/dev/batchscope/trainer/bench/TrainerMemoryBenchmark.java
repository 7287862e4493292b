package dev.batchscope.trainer.bench;

import dev.batchscope.events.Event;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.Activation;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WeightInit;
import dev.batchscope.testing.InJvmKafkaBroker;
import dev.batchscope.testing.process.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Peak resident memory (heap and off-heap: the whole process, VmHWM of /proc/PID/status) of a trainer training the
 * full 60,000 Fashion-MNIST images at full batch: the textbook sweep's largest run (mlp 784-256-128-10, SGD, noise
 * measured every step). Starts a Kafka broker (the in-JVM KRaft kit), then for each engine path the packaged
 * trainer-service ({@code target/quarkus-app}, as in the images) as a process of its own with the JVM options of the
 * compose file and the Kubernetes manifest, sends it the run, and samples its memory every 50 ms until the run's
 * final status. Prints the peak, the idle figure before the run, and how the run ended (a run killed for memory
 * shows as FAILED or a dead process).
 *
 * <p>Options: {@code --paths=auto,dl4j} (the trainer's batchscope.trainer.engine-path), {@code --steps=3},
 * {@code --jvm="..."} (the trainer's JVM options; default: the deployment's), {@code --threads=2}.
 */
public final class TrainerMemoryBenchmark {
    /** The JVM options of the trainer in docker-compose.yml and infra/k8s (keep them the same). */
    static final String DEPLOYED_JVM = "-Xmx512m -Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=2800M";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(20);

    private TrainerMemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> paths = List.of("auto", "dl4j");
        int steps = 3;
        String jvm = DEPLOYED_JVM;
        String threads = "2";
        for (String arg : Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+(?=--)"))).filter(a -> !a.isBlank()).toList()) {
            String value = arg.substring(arg.indexOf('=') + 1).replaceAll("^\"|\"$", "");
            if (arg.startsWith("--paths=")) {
                paths = List.of(value.split(","));
            } else if (arg.startsWith("--steps=")) {
                steps = Integer.parseInt(value);
            } else if (arg.startsWith("--jvm=")) {
                jvm = value;
            } else if (arg.startsWith("--threads=")) {
                threads = value;
            } else {
                throw new IllegalArgumentException("unknown option " + arg + "; options: --paths=auto,dl4j --steps=3 --jvm=\""
                        + DEPLOYED_JVM + "\" --threads=2");
            }
        }
        Path jar = ServiceProcess.packagedJar(Path.of(""));
        List<String> results = new ArrayList<>();
        try (InJvmKafkaBroker broker = InJvmKafkaBroker.start();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerProps())) {
            for (String path : paths) {
                results.add(measure(broker, producer, jar, path, steps, jvm, threads));
            }
        }
        System.out.println();
        System.out.println("Trainer JVM options: " + jvm + "; OMP_NUM_THREADS=" + threads);
        System.out.println("| engine path | idle RSS | peak RSS (VmHWM) | run | seconds |");
        System.out.println("|---|---:|---:|---|---:|");
        results.forEach(System.out::println);
    }

    private static String measure(InJvmKafkaBroker broker, KafkaProducer<String, byte[]> producer, Path jar, String path,
                                  int steps, String jvm, String threads) throws Exception {
        Path checkpoints = Files.createTempDirectory("batchscope-memory-checkpoints");
        String runId = "memory-" + path + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaConsumer<String, byte[]> statuses = new KafkaConsumer<>(broker.consumerProps("memory-" + UUID.randomUUID()));
             ServiceProcess trainer = ServiceProcess.builder(jar).name("trainer-memory-" + path)
                     .env("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())
                     .env("OMP_NUM_THREADS", threads)
                     .env("BATCHSCOPE_CHECKPOINT_DIR", checkpoints.toString())
                     .env("BATCHSCOPE_TRAINER_ENGINE_PATH", path)
                     .jvmOptions(jvm.split("\\s+"))
                     .start()) {
            trainer.awaitReady(Duration.ofMinutes(3));
            long idle = memory(trainer.pid(), "VmRSS");
            statuses.subscribe(List.of(Topics.RUNS_STATUS));
            producer.send(new ProducerRecord<>(Topics.RUNS_REQUESTED, runId, EventJson.write(request(runId, steps)))).get();
            long start = System.nanoTime();
            String outcome = null;
            while (outcome == null && System.nanoTime() - start < RUN_TIMEOUT.toNanos()) {
                for (ConsumerRecord<String, byte[]> record : statuses.poll(Duration.ofMillis(50))) {
                    Event event = EventJson.readEvent(record.value());
                    if (runId.equals(record.key()) && event instanceof RunStatusChanged status && status.state().terminal()) {
                        outcome = status.state() + (status.reason() == null ? "" : " (" + status.reason() + ")");
                    }
                }
                if (!trainer.isAlive()) {
                    outcome = "process died (killed for memory?); see " + trainer.log();
                }
            }
            long peak = memory(trainer.pid(), "VmHWM");
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%s: idle %d MiB, peak %d MiB, %s%n", path, idle >> 10, peak >> 10, outcome);
            return String.format(Locale.ROOT, "| %s | %d MiB | %d MiB | %s | %.0f |", path, idle >> 10, peak >> 10,
                    outcome == null ? "no final status within " + RUN_TIMEOUT : outcome, seconds);
        }
    }

    /** A field of /proc/PID/status in KiB (VmRSS: resident now, VmHWM: the peak so far). */
    private static long memory(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** The textbook sweep's full-batch run on all 60,000 images. */
    private static RunRequested request(String runId, int steps) {
        RunSpec spec = new RunSpec(DatasetSpec.of(DatasetKind.FASHION_MNIST),
                new ModelSpec(ModelType.MLP, List.of(256, 128), Activation.RELU, WeightInit.XAVIER), LossFunction.CROSS_ENTROPY,
                OptimizerSpec.sgd(), BatchSize.FULL, LearningRateSpec.constant(0.1), BudgetSpec.steps(steps), 1L,
                new NoiseSpec(1, 4), ValidationSpec.EVERY_EPOCH, null, CheckpointSpec.DEFAULT, null);
        return new RunRequested(Event.SCHEMA_VERSION, runId, "memory", Instant.now(), spec,
                new SweepRef("memory", Instant.now(), 1, 0, null, null, null));
    }
}

package dev.batchscope.metrics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.Topics;
import dev.batchscope.events.kafka.EventDeserializer;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.kafka.TopicAdmin;
import dev.batchscope.events.kafka.TopicCatalog;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokers;
import dev.batchscope.testing.SampleEvents;
import dev.batchscope.testing.process.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * Consumer-path benchmark (not a test), side by side in one run on one real broker:
 * <ol>
 *   <li>a raw Kafka consumer reading the metrics topic as bytes: the ceiling;</li>
 *   <li>the same consumer also deserializing and validating each record with EventDeserializer, as the service's
 *   polling thread does;</li>
 *   <li>the packaged service (a separate process) rebuilding its state from the same topic: the events/s one
 *   instance sustains through SmallRye batches, the aggregation, the series and the Prometheus meters;</li>
 *   <li>emit-to-visible delay at a steady 1,000 events/s: from an event's emittedAt until the point arrives at a
 *   client of the service's server-sent-events stream, p50 and p99 after a warm-up at the same rate, beside the
 *   delay of a plain consumer of the same events and the service's own emit-to-applied histogram.</li>
 * </ol>
 * Run: {@code mvn -B -o -pl metrics-service package -DskipTests exec:java@benchmark} (options as -D system
 * properties: bench.events, bench.runs, bench.rate, bench.seconds, bench.warmup, bench.serviceJvm). The table goes to
 * stdout and target/benchmark.md.
 */
public final class ConsumerBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BENCH_SWEEP = "bench-backlog";
    private static final String LIVE_SWEEP = "bench-live";

    private final int events = Integer.getInteger("bench.events", 1_000_000);
    private final int runs = Integer.getInteger("bench.runs", 200);
    private final int rate = Integer.getInteger("bench.rate", 1000);
    private final int seconds = Integer.getInteger("bench.seconds", 30);
    /** Seconds sent at the same rate before the measurement starts: the live path's code gets compiled first. */
    private final int warmup = Integer.getInteger("bench.warmup", 10);
    private final List<String> rows = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        new ConsumerBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        String loadBefore = loadAverage();
        try (KafkaBroker broker = KafkaBrokers.start()) {
            TopicAdmin.ensureTopics(broker.adminProps(), (short) 1);
            log("broker %s (%s); producing %,d iteration events of %d runs", broker.bootstrapServers(), broker.kind(),
                    events, runs);
            long bytes = produceBacklog(broker);
            log("backlog: %,d events, %,d bytes (%.0f bytes/event)", events, bytes, (double) bytes / events);

            // each consumer reads the whole topic twice and the faster pass counts: the first one warms the JIT up,
            // as the service's own replay does within its first few hundred thousand events
            double[] raw = best(consume(broker, new ByteArrayDeserializer(), "raw"),
                    consume(broker, new ByteArrayDeserializer(), "raw"));
            row("raw Kafka consumer, bytes only (ceiling)", raw, "one thread, the service's fetch settings");
            double[] parsed = best(consume(broker, new EventDeserializer(), "parsed"),
                    consume(broker, new EventDeserializer(), "parsed"));
            row("raw Kafka consumer + EventDeserializer", parsed, "one thread; the JSON parse and validation each of"
                    + " the service's polling threads does");

            Map<String, String> config = Map.of("batchscope.metrics.max-tracked-runs", Integer.toString(runs + 100),
                    "quarkus.log.category.\"org.apache.kafka\".level", "WARN");
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
            String extra = System.getProperty("bench.serviceJvm", "").trim();
            if (!extra.isEmpty()) {
                jvm.addAll(List.of(extra.split("\\s+")));
            }
            try (ServiceProcess service = ServiceProcess.builder(ServiceProcess.packagedJar(moduleDir()))
                    .name("benchmark-service").env("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())
                    .systemProperties(config).jvmOptions(jvm).start()) {
                double[] sustained = measureReplay(service);
                row("metrics-service, one instance", sustained, "separate process rebuilding its state from the"
                        + " topic: SmallRye batches (2 polling threads), aggregation, series, meters; CPU of the whole"
                        + " process");
                Map<Double, Double> bucketsBefore = delayBuckets(service);
                RawLatencyProbe probe = RawLatencyProbe.start(broker);
                double[] delays = measureDelay(broker, service);
                double[] plain = probe.stop();
                Map<Double, Double> bucketsAfter = delayBuckets(service);
                String applied = bucketShares(bucketsBefore, bucketsAfter);
                log("emit -> applied (service histogram): %s", applied);
                rows.add(String.format(Locale.ROOT, "| emit → polled by a plain Kafka consumer, %,d events/s"
                        + " (baseline: the same events, no service, warm-up included) | p50 %.0f ms | p99 %.0f ms |"
                        + " max %.0f ms |", rate,
                        plain[0], plain[1], plain[2]));
                rows.add(String.format(Locale.ROOT, "| emit → applied by the service (its"
                        + " batchscope_event_delay_seconds histogram, warm-up included) | %s | | share of events within"
                        + " each bucket |",
                        applied));
                rows.add(String.format(Locale.ROOT, "| emit → visible to an SSE client of the service, %,d events/s for"
                        + " %d s after %d s of warm-up | p50 %.0f ms | p99 %.0f ms | max %.0f ms; %,d points |", rate,
                        seconds, warmup, delays[0], delays[1], delays[2], (long) delays[3]));
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| measurement | rate / p50 | per CPU-second / p99 | notes |\n|---|---|---|---|\n");
        rows.forEach(r -> table.append(r).append('\n'));
        table.append(String.format(Locale.ROOT, "%n%,d iteration events (1 in 10 with a noise measurement), %d runs,"
                + " %d partitions, %d cores (%s); load average before/after: %s / %s%n", events, runs,
                TopicCatalog.RUN_PARTITIONS, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), loadBefore,
                loadAverage()));
        System.out.println();
        System.out.println(table);
        Files.writeString(moduleDir().resolve("target").resolve("benchmark.md"), table.toString());
    }

    /** The module directory: the working directory of tests, given explicitly when run through exec:java. */
    private static Path moduleDir() {
        return Path.of(System.getProperty("batchscope.module.dir", "."));
    }

    // ---- backlog ------------------------------------------------------------------------------------------------

    private long produceBacklog(KafkaBroker broker) throws Exception {
        Map<String, Object> props = new HashMap<>(broker.producerProps());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long bytes = 0;
        Instant t0 = Instant.now().minus(Duration.ofHours(1));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int r = 0; r < runs; r++) {
                String run = "bb-r" + r;
                producer.send(new ProducerRecord<>(Topics.RUNS_STATUS, run, EventJson.write(running(run, BENCH_SWEEP,
                        r, runs, t0))));
            }
            int perRun = events / runs;
            for (int it = 1; it <= perRun; it++) {
                for (int r = 0; r < runs; r++) {
                    byte[] value = EventJson.write(iteration("bb-r" + r, BENCH_SWEEP, it, t0.plusMillis(it)));
                    bytes += value.length;
                    producer.send(new ProducerRecord<>(Topics.METRICS, "bb-r" + r, value));
                }
            }
            producer.flush();
        }
        return bytes;
    }

    private static RunStatusChanged running(String run, String sweep, int index, int count, Instant at) {
        return new RunStatusChanged(Event.SCHEMA_VERSION, run, sweep, at, RunState.RUNNING, 1, "bench", 32, 0.05,
                null, SampleEvents.runSpec(), new SweepRef(sweep, at, count, index, null, null, null), null, null);
    }

    private static IterationMetrics iteration(String run, String sweep, long it, Instant at) {
        NoiseMeasurement noise = it % 10 == 0 ? new NoiseMeasurement(4, 8, 0.5, 4.0, 0.01 + 1.0 / it,
                4.0 / (0.01 + 1.0 / it)) : null;
        return new IterationMetrics(Event.SCHEMA_VERSION, run, sweep, at, 1, it, (int) (it / 100), it * 32,
                2.0 / Math.sqrt(it) + 0.01 * Math.sin(it), 1.0 + 1.0 / it, 0.05, it * 4, 8000.0, noise);
    }

    // ---- raw consumer -------------------------------------------------------------------------------------------

    /** @return events per wall-clock second and per CPU-second of the consuming thread */
    private double[] consume(KafkaBroker broker, Deserializer<?> values, String name) {
        Map<String, Object> props = new HashMap<>(broker.consumerProps("bench-" + name));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 50 * 1024 * 1024);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        List<TopicPartition> partitions = IntStream.range(0, TopicCatalog.RUN_PARTITIONS)
                .mapToObj(p -> new TopicPartition(Topics.METRICS, p)).toList();
        try (KafkaConsumer<String, ?> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long total = 0;
            long start = 0;
            long cpuStart = 0;
            while (total < events) {
                ConsumerRecords<String, ?> records = consumer.poll(Duration.ofMillis(500));
                if (start == 0 && !records.isEmpty()) {
                    start = System.nanoTime();
                    cpuStart = threads.getCurrentThreadCpuTime();
                }
                total += records.count();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            log("%s consumer: %,.0f events/s, %,.0f events per CPU-second", name, total / wall, total / cpu);
            return new double[] {total / wall, total / cpu};
        }
    }

    // ---- the service --------------------------------------------------------------------------------------------

    /**
     * The service replays the backlog at start: events/s once the first 30% are applied (the JIT has warmed up, as the
     * plain consumers' second pass has) until it has caught up, and events per CPU-second of the whole service
     * process over the same window.
     */
    private double[] measureReplay(ServiceProcess service) throws Exception {
        long start = 0;
        double cpuStart = 0;
        long behindAtStart = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode health = health(service);
            if (health != null) {
                JsonNode data = replayData(health);
                long behind = data == null ? -1 : data.path("metricsBehind").asLong(-1);
                int partitions = data == null ? 0 : data.path("metricsPartitions").asInt();
                if (partitions > 0 && behind >= 0) {
                    if (start == 0 && behind <= 0.7 * events) {
                        start = System.nanoTime();
                        cpuStart = service.cpuSeconds();
                        behindAtStart = behind;
                    }
                    if (start != 0 && behind == 0 && "UP".equals(health.path("status").asText())) {
                        double wall = (System.nanoTime() - start) / 1e9;
                        double cpu = service.cpuSeconds() - cpuStart;
                        log("service replay: %,d events in %.2f s = %,.0f events/s; %.1f CPU-s = %,.0f events per"
                                + " CPU-second", behindAtStart, wall, behindAtStart / wall, cpu, behindAtStart / cpu);
                        return new double[] {behindAtStart / wall, behindAtStart / cpu};
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service did not catch up within 10 minutes");
    }

    private static JsonNode replayData(JsonNode health) {
        for (JsonNode check : health.path("checks")) {
            if ("batchscope-replay".equals(check.path("name").asText())) {
                return check.path("data");
            }
        }
        return null;
    }

    private static JsonNode health(ServiceProcess service) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(service.url("/q/health/ready"))).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends {@code rate} iteration events per second for {@code seconds}, each stamped with its send time, and
     * measures when each point reaches a server-sent-events client of the service.
     */
    private double[] measureDelay(KafkaBroker broker, ServiceProcess service) throws Exception {
        // enough runs that none passes its full-resolution series cap within the phase: every point is streamed
        int liveRuns = 25;
        Map<String, Object> props = new HashMap<>(broker.producerProps());
        Map<String, Instant> emitted = new ConcurrentHashMap<>();
        List<Double> delays = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<Long, Double> worstBySecond = new java.util.concurrent.ConcurrentSkipListMap<>();
        Instant[] measureFrom = {Instant.MAX};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int r = 0; r < liveRuns; r++) {
                producer.send(new ProducerRecord<>(Topics.RUNS_STATUS, "bl-r" + r, EventJson.write(
                        running("bl-r" + r, LIVE_SWEEP, r, liveRuns, Instant.now()))));
            }
            producer.flush();
            while (service.get("/api/v1/sweeps/" + LIVE_SWEEP + "/summary") == null) {
                Thread.sleep(50);
            }
            HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.url("/api/v1/sweeps/" + LIVE_SWEEP + "/stream")))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
            java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try {
                    stream.body().forEach(line -> {
                        if (!line.startsWith("data:")) {
                            return;
                        }
                        Instant received = Instant.now();
                        JsonNode update = readTree(line.substring(5));
                        subscribed.countDown();
                        for (JsonNode run : update.path("runs")) {
                            for (JsonNode point : run.path("iterations")) {
                                Instant sent = emitted.remove(run.path("runId").asText() + ":" + point.get("step").asLong());
                                if (sent != null && !sent.isBefore(measureFrom[0])) {
                                    double ms = Duration.between(sent, received).toNanos() / 1e6;
                                    delays.add(ms);
                                    long second = sent.getEpochSecond();
                                    worstBySecond.merge(second, ms, Math::max);
                                }
                            }
                        }
                    });
                } catch (java.io.UncheckedIOException closed) {
                    // the benchmark closed the stream
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            subscribed.await();
            long total = (long) rate * (warmup + seconds);
            long intervalNanos = 1_000_000_000L / rate;
            long start = System.nanoTime();
            measureFrom[0] = Instant.now().plusSeconds(warmup);
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String run = "bl-r" + (i % liveRuns);
                long it = i / liveRuns + 1;
                Instant now = Instant.now();
                emitted.put(run + ":" + it, now);
                producer.send(new ProducerRecord<>(Topics.METRICS, run, EventJson.write(iteration(run, LIVE_SWEEP,
                        it, now))));
            }
            producer.flush();
            Thread.sleep(2000);
            stream.body().close();
        }
        double[] sorted = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        log("delay: %,d points measured of %,d sent after the warm-up; worst per second of sending: %s",
                sorted.length, (long) rate * seconds, worstBySecond.values().stream().map(v -> String.format(Locale.ROOT, "%.0f", v))
                        .collect(java.util.stream.Collectors.joining(" ")));
        if (sorted.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, 0};
        }
        return new double[] {percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1],
                sorted.length};
    }

    /**
     * A plain consumer of the metrics topic, reading from its end while the delay phase runs: how long the same
     * events take from send to poll with no service in the way (record timestamps are the producer's send time).
     */
    private static final class RawLatencyProbe {
        private final List<Double> delays = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean running = true;

        private RawLatencyProbe(KafkaBroker broker) throws InterruptedException {
            java.util.concurrent.CountDownLatch positioned = new java.util.concurrent.CountDownLatch(1);
            thread = new Thread(() -> {
                List<TopicPartition> partitions = IntStream.range(0, TopicCatalog.RUN_PARTITIONS)
                        .mapToObj(p -> new TopicPartition(Topics.METRICS, p)).toList();
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                        broker.consumerProps("bench-latency"), new StringDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                    positioned.countDown();
                    while (running) {
                        for (var record : consumer.poll(Duration.ofMillis(200))) {
                            delays.add((double) (System.currentTimeMillis() - record.timestamp()));
                        }
                    }
                }
            }, "raw-latency-probe");
            thread.setDaemon(true);
            thread.start();
            positioned.await();
        }

        static RawLatencyProbe start(KafkaBroker broker) throws InterruptedException {
            return new RawLatencyProbe(broker);
        }

        double[] stop() throws InterruptedException {
            running = false;
            thread.join(5000);
            double[] sorted = delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (sorted.length == 0) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
            return new double[] {percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]};
        }
    }

    /** The cumulative buckets of batchscope_event_delay_seconds: upper bound (s) to count. */
    private static Map<Double, Double> delayBuckets(ServiceProcess service) {
        Map<Double, Double> buckets = new java.util.TreeMap<>();
        String text = service.get("/q/metrics");
        for (String line : text == null ? new String[0] : text.split("\n")) {
            if (line.startsWith("batchscope_event_delay_seconds_bucket{")) {
                int le = line.indexOf("le=\"") + 4;
                String bound = line.substring(le, line.indexOf('"', le));
                double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
                buckets.put(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return buckets;
    }

    /** The share of the events measured between two scrapes that were applied within each bucket's bound. */
    private static String bucketShares(Map<Double, Double> before, Map<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0)
                - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        StringBuilder sb = new StringBuilder();
        after.forEach((upper, count) -> {
            if (Double.isFinite(upper) && upper <= 1.0) {
                double share = (count - before.getOrDefault(upper, 0.0)) / Math.max(1, total);
                sb.append(String.format(Locale.ROOT, "<=%.0fms %.1f%%  ", upper * 1000, share * 100));
            }
        });
        return sb.toString().trim();
    }

    /** The 1-minute load average: on a shared machine, how much else was running. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void row(String what, double[] rate, String notes) {
        rows.add(String.format(Locale.ROOT, "| %s | %,.0f events/s | %,.0f events per CPU-second | %s |", what,
                rate[0], rate[1], notes));
    }

    /** The pass with more events per wall-clock second: the first one warms the JIT up. */
    private static double[] best(double[] a, double[] b) {
        return a[0] >= b[0] ? a : b;
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", args);
        System.out.flush();
    }
}

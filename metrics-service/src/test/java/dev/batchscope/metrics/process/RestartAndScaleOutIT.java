package dev.batchscope.metrics.process;

import dev.batchscope.events.Topics;
import dev.batchscope.events.prometheus.PrometheusText;
import dev.batchscope.metrics.streams.Oracle;
import dev.batchscope.metrics.streams.RecordTextbookSweep;
import dev.batchscope.metrics.streams.RecordedStream;
import dev.batchscope.metrics.streams.StreamFeeder;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerExtension;
import dev.batchscope.testing.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service as separate processes over a real broker: a restarted service rebuilds exactly what it showed
 * (and does not dead-letter the same records again); then a second replica joins it: each answers for every run,
 * while Prometheus gets each run from exactly one of them, and from the survivor alone once the other stops.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartAndScaleOutIT {
    private static final Map<String, String> CONFIG = Map.of(
            "batchscope.metrics.finished-run-ttl", "1H",
            "batchscope.metrics.analysis-interval", "200MS",
            "batchscope.metrics.commit-interval", "1S");
    private static final Duration START = Duration.ofSeconds(90);
    private static final Oracle ORACLE = Oracle.of(RecordedStream.textbookMetrics(), RecordedStream.textbookStatus());

    /** What a single instance exports, for comparison with the replicas. */
    private static Map<String, Double> single;
    private static String singleSummary;
    private static int deadLettered;
    /** The restarted service, left running to become the first of two replicas. */
    private static ServiceProcess second;

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    @Order(1)
    void restartedServiceShowsTheSameValuesAndDeadLettersNothingTwice(KafkaBroker broker) throws Exception {
        Map<String, Double> before;
        String summaryBefore;
        try (ServiceProcess first = start("metrics-life-1", broker)) {
            first.awaitReady(START);
            StreamFeeder.feedTextbook(broker);
            before = exported(awaitAggregates(first));
            summaryBefore = first.get("/api/v1/sweeps/" + RecordTextbookSweep.SWEEP + "/summary");
            // the committed offsets mark how far bad records were dead-lettered: wait until they pass them all
            awaitDeadLetteringCommitted(broker);
        }
        // Each bad record reaches the DLQ. Within one life a consumer-group rebalance can rewind past records whose
        // dead-lettering was not committed yet, so the DLQ is at-least-once there: count distinct sources.
        List<String> firstLife = deadLetterSources(broker);
        assertEquals(6, new java.util.HashSet<>(firstLife).size(), "every bad record dead-lettered: " + firstLife);
        second = start("metrics-life-2", broker);
        second.awaitReady(START);
        Map<String, Double> after = exported(awaitAggregates(second));
        assertEquals(before.keySet(), after.keySet());
        before.forEach((series, value) -> assertEquals(value, after.get(series), series));
        assertEquals(summaryBefore, second.get("/api/v1/sweeps/" + RecordTextbookSweep.SWEEP + "/summary"));
        single = after;
        singleSummary = summaryBefore;
        deadLettered = firstLife.size();
        awaitDeadLetteringCommitted(broker);
        assertEquals(deadLettered, deadLetterSources(broker).size(), "the replay dead-letters nothing again");
    }

    @Test
    @Order(2)
    void everyReplicaAnswersForEveryRunWhilePrometheusGetsEachRunOnce(KafkaBroker broker) throws Exception {
        assertTrue(single != null && second != null, "runs after the restart test, whose service stays up");
        Set<String> textbookRuns = textbookRuns();
        ServiceProcess a = second;
        ServiceProcess b = start("metrics-replica-b", broker);
        try {
            b.awaitReady(START);
            for (ServiceProcess replica : List.of(a, b)) {
                awaitAnswersForEveryRun(replica, textbookRuns);
            }
            Split split = awaitSplit(List.of(a, b), textbookRuns);
            assertFalse(split.runs.get(0).isEmpty(), "replica a exports some partitions: " + split);
            assertFalse(split.runs.get(1).isEmpty(), "replica b exports some partitions: " + split);
            assertTrue(split.runs.get(0).stream().noneMatch(split.runs.get(1)::contains), "no run twice: " + split);
            assertEquals(textbookRuns, union(split.runs.get(0), split.runs.get(1)), "no run missing: " + split);
            for (Map<String, Double> replica : split.exported) {
                replica.forEach((series, value) -> {
                    if (series.contains("run=\"")) {
                        assertEquals(single.get(series), value, series);
                    }
                });
                // both know the sweep: the dashboards' sweep variable works with several replicas
                assertTrue(replica.keySet().stream().anyMatch(k -> k.startsWith("batchscope_sweep_info{")
                        && k.contains("sweep=\"" + RecordTextbookSweep.SWEEP + "\"")), replica.keySet().toString());
            }
            // both hold the whole sweep, but only one exports its fit, so a sum over instances counts it once
            long fits = split.exported.stream().filter(replica -> replica.keySet().stream()
                    .anyMatch(k -> k.startsWith("batchscope_sweep_critical_batch_size{"))).count();
            assertEquals(1, fits, "the sweep's fit comes from one replica");
        } finally {
            b.close();
        }
        // the survivor is given the partitions of the one that stopped and exports every run, with the same values
        Split survivor = awaitSplit(List.of(a), textbookRuns);
        assertEquals(textbookRuns, survivor.runs.get(0));
        assertEquals(runSeries(single), runSeries(survivor.exported.get(0)));
        awaitAnswersForEveryRun(a, textbookRuns);
        awaitDeadLetteringCommitted(broker);
        assertEquals(deadLettered, deadLetterSources(broker).size(),
                "neither the second replica nor the hand-overs dead-letter a record again");
    }

    private static Map<String, Double> runSeries(Map<String, Double> exported) {
        return new TreeMap<>(exported.entrySet().stream().filter(e -> e.getKey().contains("run=\""))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** The runs each replica exports and its data series, once every run is exported exactly once in full. */
    private record Split(List<Set<String>> runs, List<Map<String, Double>> exported) {
    }

    /**
     * Waits until the replicas' /q/metrics together export every run exactly once, each run with all its series,
     * and two reads in a row agree (ownership can still be moving right after a replica joins or leaves).
     */
    private static Split awaitSplit(List<ServiceProcess> replicas, Set<String> textbookRuns)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + START.toMillis();
        Split previous = null;
        Split now = null;
        while (System.currentTimeMillis() < deadline) {
            List<Set<String>> runs = new java.util.ArrayList<>();
            List<Map<String, Double>> exported = new java.util.ArrayList<>();
            for (ServiceProcess replica : replicas) {
                Map<String, Double> series = exported(PrometheusText.parse(orEmpty(replica.get("/q/metrics"))));
                exported.add(series);
                runs.add(runsOf(series));
            }
            now = new Split(runs, exported);
            int total = runs.stream().mapToInt(Set::size).sum();
            boolean once = total == textbookRuns.size() && runs.stream().reduce(new HashSet<>(),
                    RestartAndScaleOutIT::union).equals(textbookRuns);
            boolean whole = once && java.util.stream.IntStream.range(0, replicas.size())
                    .allMatch(i -> complete(exported.get(i), runs.get(i)));
            if (whole && now.equals(previous)) {
                return now;
            }
            previous = now;
            Thread.sleep(600);
        }
        throw new AssertionError("the replicas did not export every run exactly once in time: " + now);
    }

    /** Waits until the replica's series API has every run of the sweep and its summary is the single service's. */
    private static void awaitAnswersForEveryRun(ServiceProcess replica, Set<String> textbookRuns)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + START.toMillis();
        Set<String> seen = Set.of();
        String summary = null;
        while (System.currentTimeMillis() < deadline) {
            seen = seriesRuns(replica.get("/api/v1/sweeps/" + RecordTextbookSweep.SWEEP + "/series"));
            summary = replica.get("/api/v1/sweeps/" + RecordTextbookSweep.SWEEP + "/summary");
            if (seen.equals(textbookRuns) && singleSummary.equals(summary)) {
                return;
            }
            Thread.sleep(300);
        }
        assertEquals(textbookRuns, seen, replica.name() + " answers for every run");
        assertEquals(singleSummary, summary, replica.name() + " summarizes the whole sweep");
    }

    /** The runs with at least one point in a /series answer. */
    private static Set<String> seriesRuns(String body) {
        Set<String> runs = new HashSet<>();
        if (body == null) {
            return runs;
        }
        try {
            for (com.fasterxml.jackson.databind.JsonNode run : new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body).path("series")) {
                if (run.path("points").size() > 0) {
                    runs.add(run.path("runId").asText());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("not a series answer: " + body, e);
        }
        return runs;
    }

    /**
     * Waits until the replicas' shared group has committed every metrics partition up to its end: the owners have
     * examined every record and the DLQ holds every bad one.
     */
    private static void awaitDeadLetteringCommitted(KafkaBroker broker) throws Exception {
        long deadline = System.currentTimeMillis() + START.toMillis();
        Map<Integer, String> behind = Map.of();
        try (Admin admin = Admin.create(broker.adminProps())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.METRICS)).allTopicNames().get().get(Topics.METRICS).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.METRICS, p.partition()), OffsetSpec.latest()));
            while (System.currentTimeMillis() < deadline) {
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("batchscope-metrics")
                        .partitionsToOffsetAndMetadata().get();
                behind = new TreeMap<>();
                for (TopicPartition tp : latest.keySet()) {
                    long end = ends.get(tp).offset();
                    OffsetAndMetadata c = committed.get(tp);
                    if (end > 0 && (c == null || c.offset() < end)) {
                        behind.put(tp.partition(), (c == null ? "none" : c.offset()) + "/" + end);
                    }
                }
                if (behind.isEmpty()) {
                    return;
                }
                Thread.sleep(300);
            }
        }
        throw new AssertionError("dead-lettering not committed to the end: " + behind);
    }

    /** The packaged service of this module as its own JVM; not ready yet. */
    private static ServiceProcess start(String name, KafkaBroker broker) throws IOException {
        return ServiceProcess.builder(ServiceProcess.packagedJar(Path.of("."))).name(name)
                .env("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()).systemProperties(CONFIG)
                .jvmOptions("-Xmx384m").start();
    }

    private static boolean complete(Map<String, Double> exported, Set<String> runs) {
        return runs.stream().allMatch(run -> exported.keySet().stream()
                .anyMatch(k -> k.startsWith("batchscope_validation_accuracy_ratio{") && k.contains("run=\"" + run + "\"")));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static Set<String> runsOf(Map<String, Double> exported) {
        Set<String> runs = new HashSet<>();
        for (String key : exported.keySet()) {
            if (key.startsWith("batchscope_train_loss{")) {
                int at = key.indexOf("run=\"") + 5;
                runs.add(key.substring(at, key.indexOf('"', at)));
            }
        }
        return runs;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * The batchscope series that describe the data. Left out: the emit-to-applied delay (it describes the moment) and
     * the consumed/rejected counters, which count deliveries: a replica's two consumers join its group one after the
     * other, and a partition handed over in that rebalance is replayed, and counted, once more.
     */
    private static Map<String, Double> exported(PrometheusText text) {
        Predicate<String> data = k -> k.startsWith("batchscope_") && !k.startsWith("batchscope_event_delay")
                && !k.startsWith("batchscope_events_");
        return new TreeMap<>(text.series().entrySet().stream().filter(e -> data.test(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /**
     * Waits until the service exports every textbook run and the sweep fit, and two reads in a row agree. The consumed
     * counter cannot tell this: a partition handed over in the start-up rebalance is replayed and counted again.
     */
    private static PrometheusText awaitAggregates(ServiceProcess service) throws InterruptedException {
        Set<String> textbookRuns = textbookRuns();
        long deadline = System.currentTimeMillis() + START.toMillis();
        Map<String, Double> previous = Map.of();
        while (System.currentTimeMillis() < deadline) {
            String body = service.get("/q/metrics");
            if (body != null) {
                PrometheusText text = PrometheusText.parse(body);
                Map<String, Double> now = exported(text);
                boolean whole = runsOf(now).equals(textbookRuns) && complete(now, textbookRuns)
                        && text.value("batchscope_sweep_critical_batch_size", "sweep", RecordTextbookSweep.SWEEP) != null;
                if (whole && now.equals(previous)) {
                    return text;
                }
                previous = now;
            }
            // longer than an analysis round, so a stable read has every sweep gauge at its final value
            Thread.sleep(600);
        }
        throw new AssertionError("the service did not export the recording in time");
    }

    private static Set<String> textbookRuns() {
        return ORACLE.runs.values().stream().filter(r -> r.sweepId.equals(RecordTextbookSweep.SWEEP))
                .map(r -> r.runId).collect(Collectors.toSet());
    }

    /**
     * The source positions (topic:partition:offset, from SmallRye's dead-letter headers) of every record on the DLQ,
     * one entry per DLQ record, read until the topic has been quiet for two seconds.
     */
    private static List<String> deadLetterSources(KafkaBroker broker) {
        List<String> sources = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.consumerProps("dlq-count-" + UUID.randomUUID()))) {
            consumer.subscribe(List.of(Topics.DLQ));
            long deadline = System.currentTimeMillis() + 15_000;
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() < deadline
                    && (sources.isEmpty() || System.currentTimeMillis() - quietSince < 2000)) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    quietSince = System.currentTimeMillis();
                }
                records.forEach(r -> sources.add(header(r, "dead-letter-topic") + ":"
                        + header(r, "dead-letter-partition") + ":" + header(r, "dead-letter-offset")));
            }
        }
        return sources;
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}

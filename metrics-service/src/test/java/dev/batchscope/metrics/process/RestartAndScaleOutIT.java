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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * (and does not dead-letter the same records again); then a second replica joins it and the two split the runs.
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
            // let a commit pass the bad records, as a running service does within a second
            Thread.sleep(2500);
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
        Thread.sleep(2000);
        assertEquals(firstLife.size(), deadLetterSources(broker).size(), "the replay dead-letters nothing again");
    }

    @Test
    @Order(2)
    void replicasSplitTheRunsAndEachExportsOnlyItsOwn(KafkaBroker broker) throws Exception {
        assertTrue(single != null && second != null, "runs after the restart test, whose service stays up");
        Set<String> textbookRuns = textbookRuns();
        ServiceProcess a = second;
        try (ServiceProcess b = start("metrics-replica-b", broker)) {
            long deadline = System.currentTimeMillis() + START.toMillis();
            Set<String> runsA;
            Set<String> runsB;
            Map<String, Double> exportedA;
            Map<String, Double> exportedB;
            do {
                Thread.sleep(500);
                a.awaitReady(START);
                b.awaitReady(START);
                exportedA = exported(PrometheusText.parse(orEmpty(a.get("/q/metrics"))));
                exportedB = exported(PrometheusText.parse(orEmpty(b.get("/q/metrics"))));
                runsA = runsOf(exportedA);
                runsB = runsOf(exportedB);
            } while ((runsA.isEmpty() || runsB.isEmpty() || !runsA.stream().noneMatch(runsB::contains)
                    || !union(runsA, runsB).equals(textbookRuns) || !complete(exportedA, runsA)
                    || !complete(exportedB, runsB)) && System.currentTimeMillis() < deadline);
            assertFalse(runsA.isEmpty(), "replica a owns some partitions");
            assertFalse(runsB.isEmpty(), "replica b owns some partitions");
            assertTrue(runsA.stream().noneMatch(runsB::contains), "no run exported twice: " + runsA + " " + runsB);
            assertEquals(textbookRuns, union(runsA, runsB));
            for (Map<String, Double> replica : List.of(exportedA, exportedB)) {
                replica.forEach((series, value) -> {
                    if (series.contains("run=\"")) {
                        assertEquals(single.get(series), value, series);
                    }
                });
            }
            // neither holds the whole sweep, so neither publishes a partial fit
            assertFalse(exportedA.keySet().stream().anyMatch(k -> k.startsWith("batchscope_sweep_critical")));
            assertFalse(exportedB.keySet().stream().anyMatch(k -> k.startsWith("batchscope_sweep_critical")));
            // but both know the sweep from the status topic: the dashboards' sweep variable works with several
            for (Map<String, Double> replica : List.of(exportedA, exportedB)) {
                assertTrue(replica.keySet().stream().anyMatch(k -> k.startsWith("batchscope_sweep_info{")
                        && k.contains("sweep=\"" + RecordTextbookSweep.SWEEP + "\"")), replica.keySet().toString());
            }
        }
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

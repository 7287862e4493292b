package dev.batchscope.infra.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.infra.grafana.Dashboard;
import dev.batchscope.infra.grafana.DashboardProbe;
import dev.batchscope.infra.prometheus.PrometheusFiles;
import dev.batchscope.infra.prometheus.PrometheusServer;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.ServiceModule;
import dev.batchscope.infra.support.Yaml;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerExtension;
import dev.batchscope.testing.process.ServiceProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboards against the real system: a real broker, the three services built by the reactor as
 * processes, and Debian's Prometheus scraping them. After a short sweep every PromQL expression of every
 * dashboard panel, variables substituted, returns at least one series, and the per-batch-size panels one
 * series per batch size; every series-API panel's URL, parameters and columns, asked of the real metrics-service,
 * return one series per batch size, starting at the first iteration (x=step) or the first batch (x=samples); the
 * study's panels cells of every batch size with one best learning rate each, and B_crit inside its interval.
 * <p>
 * Part of {@code ./mvnw -B verify}: infra depends on the three services (build order only), so the reactor has
 * packaged them by the time this runs. Alone: {@code ./mvnw -B -pl scheduler-service,trainer-service,metrics-service
 * package -DskipTests}, then {@code ./mvnw -B -pl infra verify}. About 100 s on two cores; the services' logs are in
 * infra/target/e2e.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DashboardEndToEndTest {
    // generous: three JVMs start at once on two cores that other builds share
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration SWEEP_TIMEOUT = Duration.ofMinutes(10);
    private static final List<BatchSize> BATCH_SIZES = List.of(BatchSize.of(16), BatchSize.of(64), BatchSize.FULL);

    @Test
    void everyDashboardQueryReturnsSeriesForARealSweep(KafkaBroker broker) throws Exception {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "BATCHSCOPE_CHECKPOINT_DIR", Files.createTempDirectory(Repo.target("e2e"), "checkpoints").toString(),
                "OMP_NUM_THREADS", "1");
        Instant started = Instant.now();
        List<ServiceProcess> services = new ArrayList<>();
        try {
            // all three start at once: their start-ups overlap on I/O and the slowest sets the pace
            for (ServiceModule module : ServiceModule.all()) {
                services.add(ServiceProcess.builder(ServiceProcess.packagedJar(module.dir()))
                        .name(module.name())
                        .logDir(Repo.target("e2e"))
                        .directory(Repo.target("e2e"))
                        .env(env)
                        .jvmOptions(module.name().equals("trainer-service") ? "-Xmx1g" : "-Xmx384m")
                        .start());
            }
            for (ServiceProcess service : services) {
                service.awaitReady(READY_TIMEOUT);
            }
            log(started, "the three services are ready");
            List<PrometheusServer.ScrapeJob> jobs = new ArrayList<>();
            for (ServiceProcess service : services) {
                jobs.add(new PrometheusServer.ScrapeJob(service.name(), "/q/metrics", List.of(service.address())));
            }
            try (PrometheusServer prometheus = PrometheusServer.start(jobs, PrometheusFiles.ruleFiles(), Duration.ofSeconds(1))) {
                ServiceProcess scheduler = services.get(ServiceModule.NAMES.indexOf("scheduler-service"));
                String sweepId = submit(scheduler, shortSweep());
                // one record the metrics-service must reject, so the rejection panels have a series
                sendUnreadableMetricsRecord(broker);
                awaitSweepDone(scheduler, sweepId, services);
                log(started, "sweep " + sweepId + " succeeded");

                String sweep = "sweep=\"" + sweepId + "\"";
                // a run's SUCCEEDED (status topic) can be scraped before its last iterations (metrics topic): wait
                // until every run's per-iteration and per-epoch gauges are in Prometheus
                for (String gauge : List.of("batchscope_train_loss", "batchscope_validation_accuracy_ratio")) {
                    prometheus.await("count(" + gauge + "{" + sweep + "})",
                            s -> !s.isEmpty() && s.get(0).value() == BATCH_SIZES.size(), Duration.ofMinutes(1));
                }
                prometheus.await("count(batchscope_sweep_steps_to_target{" + sweep + "})",
                        s -> !s.isEmpty() && s.get(0).value() == BATCH_SIZES.size(), Duration.ofMinutes(2));
                prometheus.await("batchscope_sweep_critical_batch_size{" + sweep + "}", s -> !s.isEmpty(),
                        Duration.ofMinutes(1));
                prometheus.await("sum(batchscope_events_dead_lettered_total)", s -> !s.isEmpty() && s.get(0).value() > 0,
                        Duration.ofMinutes(1));
                // the recording rules of the per-batch-size panels have had an evaluation with every batch size; a rate
                // needs two scrapes of a counter, so a run whose metrics the service took in late shows there last
                for (String rule : List.of("sweep_batch_size:batchscope_validation_accuracy_ratio:avg",
                        "sweep_batch_size:batchscope_samples_seen:rate1m", "sweep_batch_size:batchscope_iterations:rate1m")) {
                    prometheus.await("count(" + rule + "{" + sweep + "})",
                            s -> !s.isEmpty() && s.get(0).value() == BATCH_SIZES.size(), Duration.ofMinutes(1));
                }

                Set<String> batchSizes = new TreeSet<>(prometheus.labelValues("batch_size",
                        "batchscope_run_state{" + sweep + "}"));
                assertEquals(Set.of("16", "64", "full"), batchSizes, "a full batch is batch_size=\"full\"");
                Map<String, Integer> effective = new TreeMap<>();
                prometheus.query("max by (batch_size, effective_batch_size) (batchscope_run_state{" + sweep + "})")
                        .forEach(s -> effective.put(s.label("batch_size"), Integer.parseInt(s.label("effective_batch_size"))));
                assertEquals(16, effective.get("16"), "effective sizes " + effective);
                assertEquals(64, effective.get("64"), "effective sizes " + effective);
                assertTrue(effective.get("full") > 64, "the full batch's size in effective_batch_size: " + effective);

                DashboardProbe probe = new DashboardProbe(prometheus, "1s", Duration.ofMinutes(15));
                ServiceProcess metrics = services.get(ServiceModule.NAMES.indexOf("metrics-service"));
                URI seriesApi = URI.create(metrics.url("/"));
                List<String> problems = new ArrayList<>();
                int tables = 0;
                for (Dashboard dashboard : Dashboard.all()) {
                    List<DashboardProbe.Answer> answers = probe.ask(dashboard, Map.of("sweep", sweepId));
                    System.out.println(dashboard.uid() + ": " + DashboardProbe.summary(answers));
                    problems.addAll(DashboardProbe.problems(answers, batchSizes));
                    List<DashboardProbe.TableAnswer> rows = probe.askSeriesApi(dashboard, Map.of("sweep", sweepId),
                            seriesApi);
                    rows.forEach(a -> System.out.println(a.query() + ": " + a.series().keySet()));
                    problems.addAll(DashboardProbe.tableProblems(rows, batchSizes, effective));
                    tables += rows.size();
                }
                assertEquals(8, tables, "the series-API panels of the batch size comparison");
                log(started, "every dashboard query asked");
                assertEquals(List.of(), problems);
            }
        } finally {
            ServiceProcess.closeAll(services);
        }
    }

    private static void log(Instant started, String what) {
        System.out.printf("[e2e] %5.1f s: %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, what);
    }

    /**
     * Three batch sizes of a one-hidden-layer MLP on synthetic blobs: a few hundred steps in all, so the sweep takes
     * well under a minute on one busy core. Twenty epochs give the full batch twenty steps to cross the target loss,
     * which every batch size must do for the steps-to-target panel.
     */
    private static SweepSpec shortSweep() {
        DatasetSpec blobs = new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, 512, 0.2, 8, 4, 1.0, null, null);
        ModelSpec mlp = new ModelSpec(ModelType.MLP, List.of(32), null, null);
        return new SweepSpec("e2e-dashboards", blobs, mlp, null, null, BATCH_SIZES, List.of(1L),
                new LearningRateSpec(0.1, LrScaling.SQRT, 16, null), BudgetSpec.epochs(20), new NoiseSpec(4, 4),
                ValidationSpec.EVERY_EPOCH, 1.2, null, null, null, null);
    }

    private static String submit(ServiceProcess scheduler, SweepSpec sweep) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(scheduler.url("/api/v1/sweeps")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(EventJson.writeString(sweep))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return Yaml.JSON.readTree(response.body()).path("sweepId").asText();
    }

    private static void awaitSweepDone(ServiceProcess scheduler, String sweepId, List<ServiceProcess> services)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(SWEEP_TIMEOUT);
        String state = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(scheduler.url("/api/v1/sweeps/" + sweepId)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode view = Yaml.JSON.readTree(response.body());
            state = view.path("state").asText();
            if (state.equals("SUCCEEDED")) {
                return;
            }
            if (state.equals("FAILED") || state.equals("CANCELLED")) {
                break;
            }
            Thread.sleep(2000);
        }
        StringBuilder logs = new StringBuilder();
        services.forEach(s -> logs.append("\n--- ").append(s.name()).append('\n').append(s.logTail(40)));
        throw new AssertionError("sweep " + sweepId + " ended " + state + " (logs in " + Repo.target("e2e") + ")" + logs);
    }

    private static void sendUnreadableMetricsRecord(KafkaBroker broker) throws Exception {
        Properties props = new Properties();
        props.putAll(broker.producerProps());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.METRICS, "e2e-unreadable",
                    "not an event".getBytes(StandardCharsets.UTF_8))).get();
        }
    }
}

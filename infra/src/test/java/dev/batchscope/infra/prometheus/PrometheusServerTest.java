package dev.batchscope.infra.prometheus;

import dev.batchscope.infra.support.ExpositionServer;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.Tools;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Prometheus helper against the real /usr/bin/prometheus scraping a loopback exposition. */
class PrometheusServerTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Test
    void generatedConfigPassesPromtool() throws Exception {
        Path dir = Repo.target("prometheus-config");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, PrometheusServer.config(
                List.of(new PrometheusServer.ScrapeJob("metrics-service", "/q/metrics", List.of("127.0.0.1:8082"))),
                PrometheusFiles.ruleFiles(), INTERVAL), StandardCharsets.UTF_8);
        String output = Tools.runOk(List.of(Tools.promtool().toString(), "check", "config", config.toString()), dir,
                Duration.ofMinutes(1));
        assertTrue(output.contains(PrometheusFiles.ruleFiles().size() + " rule files found"), output);
    }

    @Test
    void scrapesATargetAndAnswersQueriesAboutIt() throws Exception {
        AtomicInteger iterations = new AtomicInteger();
        // the labels and the lower-case state values the metrics-service exports (docs/design.md#8-metrics)
        String labels = "sweep=\"s1\",run=\"r1\",batch_size=\"32\",effective_batch_size=\"32\",learning_rate=\"0.1\","
                + "model=\"mlp\",dataset=\"fashion-mnist\"";
        try (ExpositionServer target = new ExpositionServer("/q/metrics", () ->
                "# TYPE batchscope_iterations_total counter\n"
                        + "batchscope_iterations_total{" + labels + "} " + iterations.addAndGet(10) + "\n"
                        + "# TYPE batchscope_run_state gauge\n"
                        + "batchscope_run_state{" + labels + ",state=\"running\"} 1\n");
             PrometheusServer prometheus = PrometheusServer.start(
                     List.of(new PrometheusServer.ScrapeJob("metrics-service", "/q/metrics", List.of(target.target()))),
                     PrometheusFiles.ruleFiles(), INTERVAL)) {

            List<PrometheusServer.Sample> up = prometheus.await("up{job=\"metrics-service\"}",
                    samples -> samples.size() == 1 && samples.get(0).value() == 1.0, Duration.ofSeconds(30));
            assertEquals(target.target(), up.get(0).label("instance"));

            // a counter that grows by 10 a scrape: its rate is positive once there are two samples
            prometheus.await("rate(batchscope_iterations_total[5s]) > 0", samples -> samples.size() == 1,
                    Duration.ofSeconds(30));
            assertEquals(List.of("s1"), prometheus.labelValues("sweep", "batchscope_run_state"));
            assertEquals(Map.of("http://" + target.target() + "/q/metrics", "up"), prometheus.targetHealth());

            // the recording rules of infra/prometheus/rules are loaded and evaluated
            List<PrometheusServer.Sample> running = prometheus.await("sweep_batch_size:batchscope_runs_running:count",
                    samples -> !samples.isEmpty(), Duration.ofSeconds(30));
            assertEquals("32", running.get(0).label("batch_size"));
            assertEquals(1.0, running.get(0).value());

            List<Map<String, String>> series = prometheus.rangeQuerySeries("batchscope_run_state",
                    Duration.ofMinutes(1), Duration.ofSeconds(1));
            assertEquals(1, series.size());
            assertEquals("running", series.get(0).get("state"));
            assertTrue(target.scrapes() >= 2);
        }
    }

    @Test
    void aQueryPrometheusRejectsFailsWithPrometheusMessage() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start(List.of(), List.of(), INTERVAL)) {
            AssertionError error = assertThrows(AssertionError.class, () -> prometheus.query("sum(up"));
            assertTrue(error.getMessage().contains("bad_data"), error.getMessage());
        }
    }

    @Test
    void closingStopsPrometheusAndFreesItsPort() throws Exception {
        PrometheusServer prometheus = PrometheusServer.start(List.of(), List.of(), INTERVAL);
        java.net.URI uri = prometheus.uri();
        prometheus.close();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        assertThrows(java.io.IOException.class, () -> client.send(
                java.net.http.HttpRequest.newBuilder(uri.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()));
    }
}

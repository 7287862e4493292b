package dev.batchscope.infra.grafana;

import dev.batchscope.infra.prometheus.PrometheusFiles;
import dev.batchscope.infra.prometheus.PrometheusServer;
import dev.batchscope.infra.support.ExpositionServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The dashboards' queries, asked of a real Prometheus that scrapes an exposition with the names and labels
 * of docs/design.md#8-metrics (a file of test data, not the metrics-service). This checks that the queries, the
 * variables and the label structure fit together; DashboardEndToEndTest asks the same of the real services.
 */
class DashboardQueriesOverAKnownExpositionTest {
    private static final String SWEEP = "sweep-synthetic";

    @Test
    void everyQueryReturnsSeriesAndPerBatchSizePanelsOneSeriesPerBatchSize() throws Exception {
        String exposition = resource("/dev/batchscope/infra/metrics-service-exposition.txt");
        try (ExpositionServer metricsService = new ExpositionServer("/q/metrics", () -> exposition);
             PrometheusServer prometheus = PrometheusServer.start(
                     List.of(new PrometheusServer.ScrapeJob("metrics-service", "/q/metrics",
                             List.of(metricsService.target()))),
                     PrometheusFiles.ruleFiles(), Duration.ofSeconds(1))) {
            // rate() over $__rate_interval (4 scrapes) needs a few scrapes first
            prometheus.await("count(count_over_time(batchscope_tracked_runs[1m]) >= 5)",
                    samples -> !samples.isEmpty(), Duration.ofSeconds(30));

            DashboardProbe probe = new DashboardProbe(prometheus, "1s", Duration.ofMinutes(5));
            List<String> problems = new ArrayList<>();
            for (Dashboard dashboard : Dashboard.all()) {
                List<DashboardProbe.Answer> answers = probe.ask(dashboard, Map.of("sweep", SWEEP));
                problems.addAll(DashboardProbe.problems(answers, Set.of("16", "64", "60000")));
            }
            assertEquals(List.of(), problems);
        }
    }

    @Test
    void theSweepVariableListsTheSweepsOfTheRunStates() throws Exception {
        String exposition = resource("/dev/batchscope/infra/metrics-service-exposition.txt");
        try (ExpositionServer metricsService = new ExpositionServer("/q/metrics", () -> exposition);
             PrometheusServer prometheus = PrometheusServer.start(
                     List.of(new PrometheusServer.ScrapeJob("metrics-service", "/q/metrics",
                             List.of(metricsService.target()))), List.of(), Duration.ofSeconds(1))) {
            prometheus.await("batchscope_tracked_runs", samples -> !samples.isEmpty(), Duration.ofSeconds(30));
            Dashboard comparison = Dashboard.all().stream()
                    .filter(d -> d.uid().equals("batchscope-batch-size-comparison")).findFirst().orElseThrow();
            QueryExpander expander = new DashboardProbe(prometheus, "1s", Duration.ofMinutes(5))
                    .expander(comparison, Map.of());
            // with nothing chosen, Grafana takes the first value of label_values, sorted
            assertEquals("x{sweep=\"sweep-other\"}", expander.expand("x{sweep=\"$sweep\"}"));
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DashboardQueriesOverAKnownExpositionTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

package dev.batchscope.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.probe.PrometheusScrape;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.events.prometheus.PrometheusText;
import dev.batchscope.events.spec.RunState;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts both ends of the metrics pipeline: what the trainers sent (the events Kafka acknowledged, from their
 * {@code batchscope_trainer_events_sent_total} counters) and what the metrics-service aggregated (the distinct
 * iterations in each run's series; its consumed-events counter counts replays too, so it cannot tell).
 */
final class DeliveryCount {
    static final String SENT = "batchscope_trainer_events_sent_total";
    static final String REFUSED = "batchscope_trainer_events_refused_total";
    static final String ITERATION = "IterationMetrics";
    /** The series API's largest page: more points than any load run has, so nothing is downsampled. */
    private static final int ALL_POINTS = 20_000;

    private DeliveryCount() {
    }

    /** The trainers' counters at one moment, summed over trainers, with the pid each was read from. */
    record TrainerCounters(Map<String, Double> sent, Map<String, Double> refused, Map<String, Long> pids) {
        double sent(String type) {
            return sent.getOrDefault(type, 0.0);
        }

        double refused(String type) {
            return refused.getOrDefault(type, 0.0);
        }

        double sentTotal() {
            return sent.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    static TrainerCounters trainers(List<StackState.ServiceInfo> trainers) throws IOException, InterruptedException {
        Map<String, Double> sent = new LinkedHashMap<>();
        Map<String, Double> refused = new LinkedHashMap<>();
        Map<String, Long> pids = new LinkedHashMap<>();
        for (StackState.ServiceInfo trainer : trainers) {
            if (!trainer.alive()) {
                continue;
            }
            PrometheusText page = PrometheusScrape.scrape(trainer.prometheusUrl());
            for (PrometheusText.Sample sample : page.samples()) {
                String type = sample.labels().get("type");
                if (sample.name().equals(SENT)) {
                    sent.merge(type, sample.value(), Double::sum);
                } else if (sample.name().equals(REFUSED)) {
                    refused.merge(type, sample.value(), Double::sum);
                }
            }
            pids.put(trainer.name(), trainer.pid());
        }
        return new TrainerCounters(sent, refused, pids);
    }

    /** What the metrics-service holds of one run. */
    record RunIterations(String runId, RunState state, int distinct, int points) {
    }

    /** The iterations the metrics-service holds for every run of the sweeps: distinct steps, and all points. */
    static List<RunIterations> aggregated(MetricsClient metrics, List<String> sweepIds) {
        List<RunIterations> runs = new java.util.ArrayList<>();
        for (String sweepId : sweepIds) {
            JsonNode series = metrics.series(sweepId, "train_loss", "step", ALL_POINTS);
            for (JsonNode run : series.path("series")) {
                Set<Long> steps = new HashSet<>();
                run.path("points").forEach(point -> steps.add(point.get(0).asLong()));
                RunState state = RunState.parse(run.path("state").asText()).orElse(null);
                runs.add(new RunIterations(run.path("runId").asText(), state, steps.size(), run.path("points").size()));
            }
        }
        return runs;
    }
}

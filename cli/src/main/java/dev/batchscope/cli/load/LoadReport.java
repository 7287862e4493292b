package dev.batchscope.cli.load;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.render.Table;
import dev.batchscope.events.spec.RunState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a load showed, and the verdict: it passes when every run succeeded, Kafka refused no event, and the
 * metrics-service holds every iteration of every run exactly once, as many as the trainers sent.
 *
 * @param consumed       events the metrics-service consumed meanwhile (replays after a rebalance count again)
 * @param expected       iterations the runs' budgets add up to
 * @param maxMetricsLag  from committed offsets, which the metrics-service commits only every few seconds
 * @param maxFetchLag    the metrics-service consumers' own records-lag
 */
record LoadReport(Plan plan, Map<RunState, Integer> states, int resumed, double seconds,
                  DeliveryCount.TrainerCounters before, DeliveryCount.TrainerCounters after, double consumed,
                  List<DeliveryCount.RunIterations> aggregated, long expected, long maxTrainerLag, long maxMetricsLag,
                  long maxFetchLag, int samples, Map<String, Memory> memory, String monitorProblem) {

    record Plan(int sweeps, List<String> batchSizes, int steps, String dataset, int samples, List<Integer> hidden,
                int trainers) {
        int runs() {
            return sweeps * batchSizes.size();
        }
    }

    /** Resident memory in bytes: the largest sampled during the load, at the end, and the process's peak since start. */
    record Memory(long pid, Long sampledMax, Long now, Long peak) {
    }

    int succeeded() {
        return states.getOrDefault(RunState.SUCCEEDED, 0);
    }

    long sent(String type) {
        return Math.round(after.sent(type) - before.sent(type));
    }

    long sentTotal() {
        return Math.round(after.sentTotal() - before.sentTotal());
    }

    long refused() {
        return Math.round(after.refused(DeliveryCount.ITERATION) - before.refused(DeliveryCount.ITERATION));
    }

    long aggregatedDistinct() {
        return aggregated.stream().mapToLong(DeliveryCount.RunIterations::distinct).sum();
    }

    long duplicatePoints() {
        return aggregated.stream().mapToLong(r -> r.points() - r.distinct()).sum();
    }

    /** Whether the trainers' counters cover the whole load: the same trainer processes before and after. */
    boolean countersComplete() {
        return before.pids().equals(after.pids());
    }

    double eventsPerSecond() {
        return seconds > 0 ? sentTotal() / seconds : 0;
    }

    /** Why the load failed; empty when it passed. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (succeeded() != plan.runs()) {
            problems.add((plan.runs() - succeeded()) + " of " + plan.runs() + " runs did not succeed " + states);
        }
        if (refused() > 0) {
            problems.add("Kafka refused " + refused() + " iteration events");
        }
        if (aggregatedDistinct() != expected) {
            problems.add("the metrics-service holds " + aggregatedDistinct() + " distinct iterations, the runs' budgets add up to "
                    + expected);
        }
        if (duplicatePoints() > 0) {
            problems.add("the metrics-service holds " + duplicatePoints() + " iterations twice");
        }
        if (!countersComplete()) {
            problems.add("a trainer restarted during the load, so its counters do not cover it: " + before.pids()
                    + " before, " + after.pids() + " after");
        } else if (resumed == 0 && sent(DeliveryCount.ITERATION) != aggregatedDistinct()) {
            problems.add("the trainers sent " + sent(DeliveryCount.ITERATION) + " iteration events, the metrics-service "
                    + "aggregated " + aggregatedDistinct());
        } else if (resumed > 0 && sent(DeliveryCount.ITERATION) < aggregatedDistinct()) {
            problems.add("the trainers sent fewer iteration events (" + sent(DeliveryCount.ITERATION)
                    + ") than the metrics-service aggregated (" + aggregatedDistinct() + ")");
        }
        return problems;
    }

    boolean passed() {
        return problems().isEmpty();
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add(String.format(Locale.ROOT, "runs completed   %d of %d succeeded in %.1f s %s%s", succeeded(), plan.runs(),
                seconds, states, resumed > 0 ? "; " + resumed + " resumed in a later attempt" : ""));
        lines.add(String.format(Locale.ROOT, "events/s         %.1f sent by the trainers and acknowledged by Kafka "
                        + "(%d events: %d iterations, %d epochs, %d statuses); %.1f consumed by the metrics-service",
                eventsPerSecond(), sentTotal(), sent(DeliveryCount.ITERATION), sent("EpochMetrics"),
                sent("RunStatusChanged"), seconds > 0 ? consumed / seconds : 0));
        lines.add(String.format(Locale.ROOT, "iterations       sent %d, refused %d, aggregated %d distinct, %d twice, "
                        + "budgets %d", sent(DeliveryCount.ITERATION), refused(), aggregatedDistinct(), duplicatePoints(),
                expected));
        lines.add(String.format(Locale.ROOT, "max consumer lag trainers %d run requests (committed when a run ends, so "
                        + "this counts queued and running runs); metrics-service %d records by committed offsets "
                        + "(committed every few seconds), %d by its consumers' own records-lag; %d samples",
                maxTrainerLag, maxMetricsLag, maxFetchLag, samples));
        lines.add("memory (RSS, MiB)");
        Table table = new Table("PROCESS", "PID", "MAX SAMPLED", "AT END", "PEAK SINCE START");
        memory.forEach((name, m) -> table.row(name, m.pid(), mib(m.sampledMax()), mib(m.now()), mib(m.peak())));
        table.lines().forEach(line -> lines.add("  " + line));
        if (monitorProblem != null) {
            lines.add("note: a sample failed: " + monitorProblem);
        }
        List<String> problems = problems();
        lines.add(problems.isEmpty() ? "verdict          PASS: every run succeeded and every iteration sent was "
                + "aggregated exactly once" : "verdict          FAIL: " + String.join("; ", problems));
        return lines;
    }

    ObjectNode json() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode node = f.objectNode();
        ObjectNode p = node.putObject("plan");
        p.put("sweeps", plan.sweeps());
        plan.batchSizes().forEach(p.putArray("batchSizes")::add);
        p.put("runs", plan.runs());
        p.put("steps", plan.steps());
        p.put("dataset", plan.dataset());
        p.put("samples", plan.samples());
        plan.hidden().forEach(p.putArray("hidden")::add);
        p.put("trainers", plan.trainers());
        ObjectNode runs = node.putObject("runs");
        runs.put("completed", succeeded());
        ObjectNode byState = runs.putObject("states");
        states.forEach((state, count) -> byState.put(state.wire(), count));
        runs.put("resumed", resumed);
        node.put("seconds", round(seconds));
        ObjectNode events = node.putObject("events");
        events.put("sent", sentTotal());
        events.put("sentPerSecond", round(eventsPerSecond()));
        events.put("consumedByMetricsService", Math.round(consumed));
        ObjectNode iterations = node.putObject("iterations");
        iterations.put("sent", sent(DeliveryCount.ITERATION));
        iterations.put("refused", refused());
        iterations.put("aggregated", aggregatedDistinct());
        iterations.put("aggregatedTwice", duplicatePoints());
        iterations.put("budgets", expected);
        ObjectNode lag = node.putObject("maxConsumerLag");
        lag.put("trainers", maxTrainerLag);
        lag.put("metricsCommitted", maxMetricsLag);
        lag.put("metricsFetch", maxFetchLag);
        lag.put("samples", samples);
        ObjectNode mem = node.putObject("memoryBytes");
        memory.forEach((name, m) -> {
            ObjectNode entry = mem.putObject(name);
            entry.put("pid", m.pid());
            entry.put("maxSampled", m.sampledMax());
            entry.put("atEnd", m.now());
            entry.put("peakSinceStart", m.peak());
        });
        List<String> problems = problems();
        node.put("passed", problems.isEmpty());
        problems.forEach(node.putArray("problems")::add);
        return node;
    }

    private static String mib(Long bytes) {
        return bytes == null ? "-" : Long.toString(Math.round(bytes / 1048576.0));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}

package dev.batchscope.cli.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.cli.probe.PrometheusScrape;
import dev.batchscope.cli.stack.LocalStack;
import dev.batchscope.cli.stack.StackControl;
import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.cli.support.JarRun;
import dev.batchscope.cli.support.TestDirs;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.prometheus.PrometheusText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.batchscope.cli.reliability.SweepProbes.awaitFinished;
import static dev.batchscope.cli.reliability.SweepProbes.awaitIterations;
import static dev.batchscope.cli.reliability.SweepProbes.distinctIterations;
import static dev.batchscope.cli.reliability.SweepProbes.highestIteration;
import static dev.batchscope.cli.reliability.SweepProbes.points;
import static dev.batchscope.cli.reliability.SweepProbes.say;
import static dev.batchscope.cli.reliability.SweepProbes.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8's fault drills and a small load, through real processes on one local stack (a Kafka broker, the scheduler,
 * the metrics-service, two trainers, and a second metrics-service in a consumer group of its own that is never
 * restarted, the reference for the restarted one). The drills run in order on the same stack, each leaving it able
 * to run the next: one stack instead of six keeps this class's share of the build to a few minutes.
 * docs/reliability.md describes each drill and its last result.
 *
 * <p>The trainers' and metrics-services' consumers use a session timeout of 6 s (the broker's minimum) instead of
 * 45 s, so that the partitions of a killed process move within seconds.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityIT {
    private static final Path HOME = Path.of(System.getProperty("batchscope.home", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "reliability-it").toAbsolutePath();
    private static final Path STATE = WORK.resolve("state");
    private static final String REFERENCE = "metrics-reference";
    /** Steps of the killed run: long enough to be killed after its first checkpoint (at 40), even on a fast machine. */
    private static final int STEPS = 300;
    /** Series that follow from the events alone (samples_per_second too, it travels in them). */
    private static final List<String> SERIES = List.of("train_loss", "train_loss_ema", "val_loss", "val_accuracy",
            "gradient_variance", "noise_scale", "samples_per_second");
    /** The metrics-service's health meters count what this process consumed, so they differ after a restart. */
    private static final Set<String> HEALTH = Set.of("batchscope_events_consumed_total",
            "batchscope_events_dead_lettered_total", "batchscope_events_skipped_total",
            "batchscope_tracked_runs", "batchscope_event_delay_seconds_bucket", "batchscope_event_delay_seconds_count",
            "batchscope_event_delay_seconds_sum", "batchscope_event_delay_seconds_max");

    private static LocalStack stack;
    private static StackControl control;
    private static StackState initial;
    private static SchedulerClient scheduler;
    private static MetricsClient metrics;
    private static MetricsClient reference;
    /** The trainer the first drill killed; the drills after it run on the other one. */
    private static String killedTrainer;

    @BeforeAll
    static void startTheStack() throws Exception {
        TestDirs.deleteRecursively(WORK);
        long started = System.nanoTime();
        stack = new LocalStack(new StackLayout(HOME, STATE), new PrintWriter(System.out, true))
                .withJvmFlags("trainer-service", DrillStack.FAST_FAILOVER_RUNS)
                .withJvmFlags("metrics-service", DrillStack.FAST_FAILOVER_METRICS);
        try {
            stack.up(2);
            control = new StackControl(stack);
            // it starts while the first drills run; the metrics drill waits for it
            initial = control.addService(REFERENCE, "metrics-service",
                    List.of("-Dbatchscope.metrics.export.group.id=batchscope-metrics-reference", "-Xmx256m"));
        } catch (Exception | Error e) {
            stopTheStack();
            throw e;
        }
        scheduler = new SchedulerClient(URI.create(initial.service("scheduler").orElseThrow().url()), null);
        metrics = new MetricsClient(URI.create(initial.service("metrics").orElseThrow().url()), Duration.ofSeconds(30));
        reference = new MetricsClient(URI.create(initial.service(REFERENCE).orElseThrow().url()), Duration.ofSeconds(30));
        say("stack up in %d s", seconds(started));
    }

    @AfterAll
    static void stopTheStack() throws IOException {
        DrillStack.stop(stack);
    }

    @Test
    @Order(1)
    void theLoadCommandReportsEveryFigureAndLosesNothing() throws IOException {
        long started = System.nanoTime();
        JarRun load = JarRun.of(Map.of(StackLayout.HOME_ENV, HOME.toString(), StackLayout.STATE_DIR_ENV, STATE.toString()),
                Duration.ofMinutes(4), "dev", "load", "--sweeps", "2", "--batch-sizes", "16,full", "--steps", "30",
                "--samples", "256", "--sample-every", "500", "-o", "json");
        assertEquals(ExitCodes.OK, load.exitCode(), load.toString());
        JsonNode report = EventJson.mapper().readTree(load.out());
        assertTrue(report.path("passed").asBoolean(), load.toString());
        assertEquals(4, report.path("runs").path("completed").asInt(), load.out());
        assertEquals(120, report.path("iterations").path("budgets").asLong(), load.out());
        assertEquals(120, report.path("iterations").path("aggregated").asLong(), load.out());
        assertEquals(120, report.path("iterations").path("sent").asLong(), load.out());
        assertEquals(0, report.path("iterations").path("aggregatedTwice").asLong(), load.out());
        assertTrue(report.path("events").path("sentPerSecond").asDouble() > 0, load.out());
        assertTrue(report.path("maxConsumerLag").path("trainers").asLong() >= 1,
                "four run requests were waiting at the start\n" + load.out());
        assertTrue(report.path("maxConsumerLag").path("samples").asInt() >= 1, load.out());
        for (String process : List.of("kafka", "scheduler", "metrics", "trainer-1", "trainer-2", REFERENCE)) {
            assertTrue(report.path("memoryBytes").path(process).path("atEnd").asLong() > 10L << 20,
                    process + " has its memory measured\n" + load.out());
        }
        JarRun probe = JarRun.of(Map.of(StackLayout.HOME_ENV, HOME.toString(), StackLayout.STATE_DIR_ENV,
                STATE.toString()), Duration.ofMinutes(1), "dev", "probe", "-o", "json");
        assertEquals(ExitCodes.OK, probe.exitCode(), probe.toString());
        JsonNode look = EventJson.mapper().readTree(probe.out());
        assertTrue(look.path("consumerLag").path("trainers").isIntegralNumber()
                && look.path("consumerLag").path("metrics").isIntegralNumber(), probe.out());
        for (String process : List.of("kafka", "scheduler", "metrics", "trainer-1", "trainer-2", REFERENCE)) {
            assertTrue(look.path("memoryBytes").path(process).path("now").asLong() > 10L << 20,
                    "dev probe measures " + process + "\n" + probe.out());
        }
        say("load: 2 sweeps x 2 batch sizes PASS in %d s (the runs %s s, %s events/s)", seconds(started),
                report.path("seconds").asText(), report.path("events").path("sentPerSecond").asText());
    }

    @Test
    @Order(2)
    void aRunWhoseTrainerIsKilledResumesElsewhereAndEndsLikeAnUninterruptedOne() throws Exception {
        long started = System.nanoTime();
        DrillSweep spec = DrillSweep.blobs("drill-uninterrupted", List.of(32), STEPS);
        String uninterrupted = submit(spec);
        awaitFinished(scheduler, uninterrupted, Duration.ofMinutes(2));
        String resumedSweep = submit(DrillSweep.blobs("drill-killed", List.of(32), STEPS));
        JsonNode running = await("the run to start").atMost(Duration.ofSeconds(60))
                .until(() -> scheduler.sweep(resumedSweep).path("runs").get(0),
                        run -> "RUNNING".equals(run.path("state").asText()));
        killedTrainer = running.path("trainerId").asText();
        // past its first checkpoint (every 40 iterations), so that the next attempt has one to resume from
        long atKill = await("iteration 50").atMost(Duration.ofSeconds(60))
                .until(() -> highestIteration(metrics, resumedSweep), it -> it >= 50);
        control.kill(killedTrainer);
        assertTrue(atKill < STEPS, "the run was still training when its trainer was killed (iteration " + atKill + ")");

        JsonNode run = awaitFinished(scheduler, resumedSweep, Duration.ofMinutes(2)).path("runs").get(0);
        assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        assertEquals(2, run.path("attempt").asInt(), "resumed in a second attempt: " + run);
        assertTrue(!killedTrainer.equals(run.path("trainerId").asText()), "finished by the other trainer: " + run);

        awaitIterations(metrics, resumedSweep, STEPS);
        List<Double> steps = new ArrayList<>();
        metrics.series(resumedSweep, "train_loss", "step", 20_000).path("series").get(0).path("points")
                .forEach(p -> steps.add(p.get(0).asDouble()));
        List<Double> expected = new ArrayList<>();
        for (int i = 1; i <= STEPS; i++) {
            expected.add((double) i);
        }
        assertEquals(expected, steps, "every iteration exactly once");
        for (String series : SERIES.subList(0, 6)) {
            assertEquals(points(metrics, uninterrupted, series, "step"), points(metrics, resumedSweep, series, "step"),
                    series + " of the resumed run equals the uninterrupted run's");
        }
        JsonNode a = metrics.summaryDocument(uninterrupted).path("runs").get(0);
        JsonNode b = metrics.summaryDocument(resumedSweep).path("runs").get(0);
        assertTrue(a.path("valAccuracy").isNumber(), a.toString());
        assertEquals(a.path("valAccuracy").asDouble(), b.path("valAccuracy").asDouble(), "final validation accuracy");
        assertEquals(a.path("emaLoss").asDouble(), b.path("emaLoss").asDouble(), "final smoothed loss");
        say("trainer SIGKILL: PASS in %d s; killed %s at iteration %d, resumed by %s in attempt 2, %d iterations once, "
                        + "series and final validation accuracy %.4f equal to the uninterrupted run's", seconds(started),
                killedTrainer, atKill, run.path("trainerId").asText(), STEPS, b.path("valAccuracy").asDouble());
    }

    @Test
    @Order(3)
    void aRunThatDivergesEndsDivergedWithTheReasonAndItsTrainerTakesTheNextRun() {
        long started = System.nanoTime();
        String diverging = submit(DrillSweep.diverging("drill-diverging"));
        JsonNode sweep = awaitFinished(scheduler, diverging, Duration.ofMinutes(1));
        JsonNode diverged = sweep.path("runs").get(0);
        // a learning rate too high for the batch size is a result of the study, not a failure of the run or the sweep
        assertEquals("DIVERGED", diverged.path("state").asText(), diverged.toString());
        assertEquals("diverged", diverged.path("outcome").asText(), diverged.toString());
        assertEquals("SUCCEEDED", sweep.path("state").asText(), "a diverged run does not fail its sweep");
        String reason = diverged.path("reason").asText();
        assertTrue(reason.contains("training diverged") && reason.contains("at iteration"), reason);
        String trainer = diverged.path("trainerId").asText();

        String next = submit(DrillSweep.blobs("drill-after-divergence", List.of(32), 30));
        JsonNode succeeded = awaitFinished(scheduler, next, Duration.ofMinutes(1)).path("runs").get(0);
        assertEquals("SUCCEEDED", succeeded.path("state").asText(), succeeded.toString());
        assertEquals(trainer, succeeded.path("trainerId").asText(), "the trainer of the diverged run took the next one");
        await("the divergence in the metrics-service").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals("DIVERGED", metrics.summaryIfAvailable(diverging)
                        .map(s -> s.path("runs").get(0).path("state").asText()).orElse("no summary")));
        say("diverging run: PASS in %d s; DIVERGED with \"%s\", then %s trained the next run to SUCCEEDED", seconds(started),
                reason, trainer);
    }

    @Test
    @Order(4)
    void aBrokerStoppedForTwentySecondsLosesNoIteration() throws Exception {
        long started = System.nanoTime();
        Map<String, Double> before = sentIterations();
        String sweep = submit(DrillSweep.blobs("drill-broker-outage", List.of(16, 64), 300));
        await("iteration 50").atMost(Duration.ofSeconds(60)).until(() -> highestIteration(metrics, sweep), it -> it >= 50);
        StackControl.Stopped broker = control.stop("kafka");
        long stoppedAt = System.nanoTime();
        Thread.sleep(20_000);
        control.start(broker);
        long outage = seconds(stoppedAt);

        JsonNode finished = awaitFinished(scheduler, sweep, Duration.ofMinutes(3));
        for (JsonNode run : finished.path("runs")) {
            assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        }
        awaitIterations(metrics, sweep, 600);
        Map<String, Double> after = sentIterations();
        long sent = Math.round(total(after) - total(before));
        long aggregated = distinctIterations(metrics, sweep);
        assertEquals(600, aggregated, "every iteration of both runs aggregated");
        assertEquals(sent, aggregated, "iterations the trainers sent (" + before + " before, " + after + " after) "
                + "equal those aggregated");
        assertEquals(0, refusedIterations(), "Kafka refused no iteration event");
        say("broker stopped 20 s: PASS in %d s; broker away %d s, both runs SUCCEEDED, %d iterations sent = %d aggregated",
                seconds(started), outage, sent, aggregated);
    }

    @Test
    @Order(5)
    void aRestartedMetricsServiceShowsWhatOneThatNeverRestartedShows() throws Exception {
        long started = System.nanoTime();
        control.awaitReady(REFERENCE);
        String sweep = submit(DrillSweep.blobs("drill-metrics-restart", List.of(16, 64), 300));
        await("iteration 50").atMost(Duration.ofSeconds(60)).until(() -> highestIteration(metrics, sweep), it -> it >= 50);
        long killedAt = System.nanoTime();
        StackState restarted = control.restart("metrics", true);
        long restartedIn = seconds(killedAt);
        awaitFinished(scheduler, sweep, Duration.ofMinutes(2));
        awaitIterations(metrics, sweep, 600);
        awaitIterations(reference, sweep, 600);

        // both have every event now; the sweep analysis runs every 2 s, so give the gauges a moment to agree
        String metricsUrl = restarted.service("metrics").orElseThrow().prometheusUrl();
        String referenceUrl = restarted.service(REFERENCE).orElseThrow().prometheusUrl();
        await("the same /q/metrics").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Double> restartedSeries = dataSeries(metricsUrl);
            Map<String, Double> referenceSeries = dataSeries(referenceUrl);
            assertEquals(referenceSeries, restartedSeries, difference(restartedSeries, referenceSeries));
        });
        Map<String, Double> exported = dataSeries(metricsUrl);
        assertTrue(exported.keySet().stream().anyMatch(k -> k.startsWith("batchscope_train_loss{") && k.contains(sweep)),
                "the sweep is exported: " + exported.keySet());
        int compared = 0;
        for (String series : SERIES) {
            for (String x : List.of("step", "samples", "seconds")) {
                assertEquals(points(reference, sweep, series, x), points(metrics, sweep, series, x), series + " by " + x);
                compared++;
            }
        }
        assertEquals(reference.summaryDocument(sweep).path("runs"), metrics.summaryDocument(sweep).path("runs"),
                "the summary's rows");
        say("metrics-service restarted: PASS in %d s; SIGKILLed and back in %d s, %d exported series and %d REST series "
                + "equal to the never-restarted one's", seconds(started), restartedIn, exported.size(), compared);
    }

    @Test
    @Order(6)
    void aRestartedSchedulerReportsTheSameSweepsAndCancelsAfterwards() throws Exception {
        long started = System.nanoTime();
        // long runs: nothing changes state while the scheduler is away
        String sweep = submit(DrillSweep.blobs("drill-scheduler-restart", List.of(16, 32, 64), 100_000));
        await("a run training").atMost(Duration.ofSeconds(60)).until(() -> highestIteration(metrics, sweep), it -> it >= 1);
        Map<String, JsonNode> before = everySweep();
        control.restart("scheduler", true);
        Map<String, JsonNode> after = everySweep();
        assertEquals(before.keySet(), after.keySet(), "the same sweeps");
        for (String id : before.keySet()) {
            assertEquals(before.get(id), after.get(id), "sweep " + id + " with its runs' states");
        }
        JsonNode answer = scheduler.cancel(sweep);
        assertTrue(answer.isObject(), answer.toString());
        JsonNode cancelled = awaitFinished(scheduler, sweep, Duration.ofMinutes(1));
        assertEquals("CANCELLED", cancelled.path("state").asText(), cancelled.toString());
        for (JsonNode run : cancelled.path("runs")) {
            assertEquals("CANCELLED", run.path("state").asText(), run.toString());
        }
        say("scheduler restarted: PASS in %d s; %d sweeps and their runs read the same after a SIGKILL and restart, "
                + "then a cancel ended the sweep's 3 runs", seconds(started), before.size());
    }

    // ---- helpers

    private static String submit(DrillSweep sweep) {
        return scheduler.submitSpec(sweep.spec());
    }

    /** The per-run and per-sweep series a metrics-service exports (its own health meters left out). */
    private static Map<String, Double> dataSeries(String prometheusUrl) {
        try {
            return PrometheusScrape.scrape(prometheusUrl).series(s -> s.name().startsWith("batchscope_")
                    && !HEALTH.contains(s.name()));
        } catch (IOException e) {
            return Map.of("unreachable", Double.NaN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static String difference(Map<String, Double> a, Map<String, Double> b) {
        Map<String, String> diff = new LinkedHashMap<>();
        a.forEach((k, v) -> {
            if (!v.equals(b.get(k))) {
                diff.put(k, v + " vs " + b.get(k));
            }
        });
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(k -> diff.put(k, "missing vs " + b.get(k)));
        return diff.size() + " series differ: " + diff;
    }

    /** Every sweep the scheduler knows, as GET /api/v1/sweeps/{id} answers. */
    private static Map<String, JsonNode> everySweep() {
        Map<String, JsonNode> sweeps = new LinkedHashMap<>();
        for (JsonNode item : scheduler.list(0, 100).path("items")) {
            String id = item.path("sweepId").asText();
            sweeps.put(id, scheduler.sweep(id));
        }
        return sweeps;
    }

    /** Iteration events the live trainers had Kafka acknowledge, by trainer. */
    private static Map<String, Double> sentIterations() throws IOException, InterruptedException {
        Map<String, Double> sent = new LinkedHashMap<>();
        for (StackState.ServiceInfo trainer : stack.state().orElseThrow().trainers()) {
            if (trainer.alive()) {
                sent.put(trainer.name(), PrometheusScrape.scrape(trainer.prometheusUrl()).sum(
                        "batchscope_trainer_events_sent_total", PrometheusText.label("type", "IterationMetrics")));
            }
        }
        return sent;
    }

    private static long refusedIterations() throws IOException, InterruptedException {
        double refused = 0;
        for (StackState.ServiceInfo trainer : stack.state().orElseThrow().trainers()) {
            if (trainer.alive()) {
                refused += PrometheusScrape.scrape(trainer.prometheusUrl()).sum(
                        "batchscope_trainer_events_refused_total", PrometheusText.label("type", "IterationMetrics"));
            }
        }
        return Math.round(refused);
    }

    private static double total(Map<String, Double> byTrainer) {
        return byTrainer.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}

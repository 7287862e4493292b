package dev.batchscope.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchscope.events.study.TargetCrossing;
import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.prometheus.ExportedMetric;
import dev.batchscope.events.prometheus.PrometheusText;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.metrics.analysis.ScalingFit;
import dev.batchscope.metrics.export.LabelValues;
import dev.batchscope.metrics.streams.Oracle;
import dev.batchscope.metrics.streams.RecordTextbookSweep;
import dev.batchscope.metrics.streams.RecordedStream;
import dev.batchscope.metrics.streams.StreamFeeder;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import dev.batchscope.testing.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recorded textbook sweep (several runs and batch sizes, a resumed run, redeliveries, unreadable records) fed
 * through a real broker; /q/metrics, the series and the summary must show exactly what the stream defines. The live
 * page is driven in a real headless Chromium. One application and one broker for all of it: each start costs tens of
 * seconds on two busy cores.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsPipelineTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SWEEP = RecordTextbookSweep.SWEEP;
    static final String PAGE_SWEEP = "sw-page";
    /** How long a test waits for the service to apply what it was fed. */
    static final Duration WAIT = Duration.ofSeconds(60);

    KafkaBroker broker;

    static Oracle oracle;
    static PrometheusText scrape;

    @BeforeEach
    void feedOnce() throws Exception {
        if (scrape != null) {
            return;
        }
        await("readiness").atMost(WAIT).until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        StreamFeeder.feedTextbook(broker);
        oracle = Oracle.of(RecordedStream.textbookMetrics(), RecordedStream.textbookStatus());
        scrape = scrapeOnceSettled(oracle.validEvents(), SWEEP, 4);
        // kept for a person to read: what Prometheus sees after the recording
        Files.writeString(Path.of("target", "q-metrics-after-recording.txt"), RestAssured.get("/q/metrics").asString());
    }

    /**
     * Scrapes /q/metrics until {@code events} valid events were consumed, the sweep's steps-to-target are out for
     * {@code batchSizes} batch sizes, and the sweep's gauges read the same in two scrapes an analysis round apart: the
     * analysis that sets them runs on its own interval (200 ms in tests), so the scrape that first sees every event
     * consumed can still show the gauges of the round before, or a round half written.
     */
    static PrometheusText scrapeOnceSettled(long events, String sweep, int batchSizes) {
        PrometheusText[] last = new PrometheusText[1];
        List<PrometheusText.Sample> previous = new ArrayList<>();
        await(events + " events consumed and the sweep's aggregates exported, the same in two analysis rounds")
                .atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
                    PrometheusText text = PrometheusText.parse(RestAssured.get("/q/metrics").asString());
                    last[0] = text;
                    double consumed = text.sum("batchscope_events_consumed_total", PrometheusText.any());
                    int sizes = text.samples("batchscope_sweep_steps_to_target", PrometheusText.label("sweep", sweep))
                            .size();
                    boolean whole = consumed >= events && sizes >= batchSizes
                            && text.value("batchscope_sweep_critical_batch_size", "sweep", sweep) != null;
                    List<PrometheusText.Sample> gauges = text.samples().stream()
                            .filter(g -> g.name().startsWith("batchscope_sweep_")
                                    && sweep.equals(g.labels().get("sweep")))
                            .toList();
                    boolean stable = whole && gauges.equals(previous);
                    previous.clear();
                    previous.addAll(gauges);
                    return stable;
                });
        return last[0];
    }

    private static Map<String, String> labels(Oracle.Run run) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("sweep", run.sweepId);
        labels.put("run", run.runId);
        labels.put("batch_size", run.fullBatch ? "full" : Integer.toString(run.batchSize));
        labels.put("effective_batch_size", Integer.toString(run.batchSize));
        labels.put("learning_rate", LabelValues.number(run.peakLearningRate));
        labels.put("model", run.model);
        labels.put("dataset", run.dataset);
        return labels;
    }

    private static List<Oracle.Run> textbookRuns() {
        return oracle.runs.values().stream().filter(r -> r.sweepId.equals(SWEEP)).toList();
    }

    @Test
    void exportsEveryRunsLatestValuesExactly() {
        assertEquals(8, textbookRuns().size());
        for (Oracle.Run run : textbookRuns()) {
            Map<String, String> l = labels(run);
            IterationMetrics last = run.last();
            double[] ema = run.lossEma();
            assertEquals(last.loss(), scrape.value("batchscope_train_loss", l), run.runId);
            assertEquals(ema[ema.length - 1], scrape.value("batchscope_train_loss_ema", l), run.runId);
            assertEquals(last.gradNorm(), scrape.value("batchscope_gradient_norm", l));
            assertEquals(last.learningRate(), scrape.value("batchscope_learning_rate", l));
            assertEquals((double) last.epoch(), scrape.value("batchscope_epoch", l));
            assertEquals((double) run.maxIteration, scrape.value("batchscope_iterations_total", l));
            assertEquals((double) run.maxSamples, scrape.value("batchscope_samples_seen_total", l));
            assertEquals(run.lastNoise().gradVariance(), scrape.value("batchscope_gradient_variance", l));
            assertEquals(run.noiseScale(), scrape.value("batchscope_gradient_noise_scale", l), run.runId);
            EpochMetrics eval = run.lastEval();
            assertEquals(eval.valLoss(), scrape.value("batchscope_validation_loss", l));
            assertEquals(eval.valAccuracy(), scrape.value("batchscope_validation_accuracy_ratio", l));
            // one series per state, lower case, 1 for the current one
            for (RunState state : RunState.values()) {
                Map<String, String> withState = new TreeMap<>(l);
                withState.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
                assertEquals(state == RunState.SUCCEEDED ? 1.0 : 0.0,
                        scrape.value("batchscope_run_state", withState), run.runId + " " + state);
            }
        }
        assertEquals("counter", scrape.type("batchscope_iterations_total") == null
                ? scrape.type("batchscope_iterations") : scrape.type("batchscope_iterations_total"));
        assertEquals("gauge", scrape.type("batchscope_train_loss"));
    }

    @Test
    void resumedRunKeepsOnlyItsLastAttemptsPoints() {
        Oracle.Run run = oracle.runs.get(RecordTextbookSweep.RESUMED_RUN);
        assertEquals(2, run.attempt);
        JsonNode series = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=train_loss&x=step&points=20000"),
                run.runId);
        JsonNode points = series.get("points");
        assertEquals(run.iterations.size(), points.size());
        for (int i = 0; i < points.size(); i++) {
            IterationMetrics it = run.iterations.get(i);
            assertEquals(i + 1, points.get(i).get(0).asLong(), "steps 1.." + points.size() + " once each");
            assertEquals(it.loss(), points.get(i).get(1).asDouble());
            assertEquals(it.iteration() > 100 ? 2 : 1, it.attempt());
        }
    }

    @Test
    void countsEventsByTypeDeadLettersAndSkipsByReason() {
        oracle.consumed.forEach((type, n) ->
                assertEquals((double) n, scrape.value("batchscope_events_consumed_total", "type", type), type));
        assertEquals(5.0, oracle.invalid);
        // dead letters: what went to batchscope.dlq; every reason of the fixed set is there from the start
        assertEquals((double) oracle.invalid,
                scrape.value("batchscope_events_dead_lettered_total", "reason", "invalid"));
        assertEquals((double) oracle.unexpectedType,
                scrape.value("batchscope_events_dead_lettered_total", "reason", "unexpected_type"));
        assertEquals(0.0, scrape.value("batchscope_events_dead_lettered_total", "reason", "error"));
        // skips: valid events that change nothing, never in the DLQ
        assertEquals((double) oracle.duplicate,
                scrape.value("batchscope_events_skipped_total", "reason", "duplicate"));
        assertEquals((double) oracle.staleAttempt,
                scrape.value("batchscope_events_skipped_total", "reason", "stale_attempt"));
        assertEquals(0.0, scrape.value("batchscope_events_skipped_total", "reason", "evicted"));
        assertEquals(9.0, scrape.value("batchscope_tracked_runs"));
        // every event was fed after the service was up, so each one's delay was measured
        assertEquals((double) oracle.validEvents(), scrape.value("batchscope_event_delay_seconds_count"));
        assertNotNull(scrape.value("batchscope_event_delay_seconds_bucket", "le", "0.25"));
    }

    @Test
    void sweepAggregatesFollowTheStepsToTarget() {
        Map<Integer, double[]> bySize = stepsToTargetBySize();
        List<ScalingFit.Point> points = new ArrayList<>();
        bySize.forEach((b, v) -> {
            String size = Integer.toString(b);
            assertEquals(v[0], scrape.value("batchscope_sweep_steps_to_target", "sweep", SWEEP, "batch_size", size,
                    "effective_batch_size", size), 1e-9, "steps B=" + b);
            assertEquals(v[1], scrape.value("batchscope_sweep_samples_to_target", "sweep", SWEEP, "batch_size",
                    size, "effective_batch_size", size), 1e-9, "samples B=" + b);
            points.add(new ScalingFit.Point(b, v[0]));
        });
        ScalingFit.Result fit = ScalingFit.fit(points).orElseThrow();
        assertEquals(fit.bCrit(), scrape.value("batchscope_sweep_critical_batch_size", "sweep", SWEEP),
                fit.bCrit() * 1e-9);
        // smaller batches need more steps, larger ones more samples
        assertTrue(bySize.get(16)[0] > bySize.get(256)[0]);
        assertTrue(bySize.get(16)[1] < bySize.get(256)[1]);
    }

    /**
     * Mean lag-corrected steps and samples to the target over the seeds of each batch size, from the oracle (the
     * textbook sweep has one learning rate per batch size, so that is its best).
     */
    private static Map<Integer, double[]> stepsToTargetBySize() {
        Map<Integer, double[]> sums = new TreeMap<>();
        for (Oracle.Run run : textbookRuns()) {
            Long crossedAt = run.crossing(RecordTextbookSweep.TARGET);
            assertNotNull(crossedAt, run.runId + " reaches the target");
            double[] s = sums.computeIfAbsent(run.batchSize, k -> new double[3]);
            s[0] += TargetCrossing.stepsToTarget(crossedAt);
            s[1] += TargetCrossing.samplesToTarget(crossedAt, run.batchSize);
            s[2]++;
        }
        Map<Integer, double[]> means = new TreeMap<>();
        sums.forEach((b, s) -> means.put(b, new double[] {s[0] / s[2], s[1] / s[2]}));
        return means;
    }

    @Test
    void finishedRunsLeavePrometheusAfterTheirTimeButStayInRest() {
        var archiveSweep = PrometheusText.label("sweep", RecordTextbookSweep.ARCHIVE_SWEEP);
        assertTrue(scrape.samples("batchscope_train_loss", archiveSweep).isEmpty());
        assertTrue(scrape.samples("batchscope_run_state", archiveSweep).isEmpty());
        List<String> ids = new ArrayList<>();
        JsonNode sweeps = get("/api/v1/sweeps");
        sweeps.forEach(s -> ids.add(s.get("sweepId").asText()));
        assertTrue(ids.indexOf(SWEEP) >= 0 && ids.indexOf(SWEEP) < ids.indexOf(RecordTextbookSweep.ARCHIVE_SWEEP),
                "newest first: " + ids);
        assertEquals(List.of(16, 64, 128, 256), toInts(sweeps.get(ids.indexOf(SWEEP)).get("batchSizes")));
        JsonNode archived = get("/api/v1/sweeps/" + RecordTextbookSweep.ARCHIVE_SWEEP + "/summary");
        assertEquals("SUCCEEDED", archived.get("runs").get(0).get("state").asText());
        assertEquals(oracle.runs.get("ar-b32-s1").last().loss(), archived.get("runs").get(0).get("loss").asDouble());
    }

    @Test
    void seriesCarryEveryPointOnTheChosenAxis() {
        Oracle.Run run = oracle.runs.get("tb-b16-s2");
        JsonNode bySteps = get("/api/v1/sweeps/" + SWEEP + "/series?metric=train_loss_ema&x=step&points=20000");
        assertEquals(8, bySteps.get("series").size());
        JsonNode first = bySteps.get("series").get(0);
        assertEquals(16, first.get("batchSize").asInt());
        assertEquals(1, first.get("seed").asInt());
        assertEquals(0.05, first.get("learningRate").asDouble());
        double[] ema = run.lossEma();
        JsonNode points = seriesOf(bySteps, run.runId).get("points");
        assertEquals(ema.length, points.size());
        for (int i = 0; i < ema.length; i++) {
            assertEquals(ema[i], points.get(i).get(1).asDouble());
        }
        JsonNode bySamples = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=train_loss&x=samples&points"
                + "=20000"), run.runId).get("points");
        assertEquals(run.last().samplesSeen(), bySamples.get(bySamples.size() - 1).get(0).asLong());
        JsonNode bySeconds = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=samples_per_second&x=seconds"),
                run.runId).get("points");
        assertEquals(run.last().elapsedMs() / 1000.0, bySeconds.get(bySeconds.size() - 1).get(0).asDouble());
        assertEquals(run.last().samplesPerSecond(), bySeconds.get(bySeconds.size() - 1).get(1).asDouble());
        JsonNode accuracy = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=val_accuracy"), run.runId)
                .get("points");
        assertEquals(run.evals.size(), accuracy.size());
        assertEquals(run.lastEval().valAccuracy(), accuracy.get(accuracy.size() - 1).get(1).asDouble());
        JsonNode variance = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=gradient_variance"), run.runId)
                .get("points");
        assertEquals(run.iterations.stream().filter(i -> i.noise() != null).count(), variance.size());
        JsonNode noise = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=noise_scale"), run.runId)
                .get("points");
        assertEquals(run.noiseScale(), noise.get(noise.size() - 1).get(1).asDouble());
        JsonNode few = seriesOf(get("/api/v1/sweeps/" + SWEEP + "/series?metric=train_loss&points=50"), run.runId)
                .get("points");
        assertTrue(few.size() <= 50 && few.size() >= 40, "downsampled to at most 50: " + few.size());
    }

    @Test
    void summaryHasPerRunRowsPerBatchSizeRowsAndTheFit() {
        JsonNode summary = get("/api/v1/sweeps/" + SWEEP + "/summary");
        assertTrue(summary.get("complete").asBoolean());
        assertEquals(0.5, summary.get("target").get("loss").asDouble());
        assertEquals(8, summary.get("runs").size());
        for (JsonNode row : summary.get("runs")) {
            Oracle.Run run = oracle.runs.get(row.get("runId").asText());
            double[] ema = run.lossEma();
            assertEquals("SUCCEEDED", row.get("state").asText());
            assertEquals(run.last().iteration(), row.get("iterations").asLong());
            assertEquals((long) run.epochsBudget * (512 / run.batchSize), row.get("budgetIterations").asLong());
            assertEquals(ema[ema.length - 1], row.get("emaLoss").asDouble());
            assertEquals(run.minEma(), row.get("bestEmaLoss").asDouble());
            assertEquals(run.volatility(100), row.get("lossVolatility").asDouble(), 1e-12);
            assertEquals(run.lastEval().valLoss() - run.lastEval().trainLoss(),
                    row.get("generalizationGap").asDouble(), 1e-15);
            assertEquals(TargetCrossing.stepsToTarget(run.crossing(0.5)), row.get("stepsToTarget").asDouble(), 1e-9);
            assertEquals(run.noiseScaleAt(run.crossing(0.5)), row.get("noiseScaleAtTarget").asDouble(),
                    1e-12 * run.noiseScale(), "B_simple where " + run.runId + " reached the target");
        }
        // one learning rate per batch size: a fixed sweep, each size's cell its best, B_crit compared at the target
        assertEquals("fixed", summary.get("protocol").asText());
        assertEquals(4, summary.get("grid").size());
        assertEquals(summary.get("fit").get("bCrit").asDouble(), summary.get("criticalBatchSize").get("value").asDouble());
        assertEquals("bootstrap-seeds", summary.get("criticalBatchSize").get("method").asText());
        assertTrue(summary.get("criticalBatchSize").get("low").asDouble()
                <= summary.get("criticalBatchSize").get("high").asDouble());
        List<Double> atTarget = new ArrayList<>();
        textbookRuns().forEach(r -> atTarget.add(r.noiseScaleAt(r.crossing(0.5))));
        atTarget.sort(null);
        double median = (atTarget.get(3) + atTarget.get(4)) / 2;
        assertEquals(median, summary.get("noiseScaleAtTarget").asDouble(), 1e-9 * median);
        assertTrue(summary.get("recommendation").asText().contains("at one fixed learning rate the law is misspecified"),
                summary.get("recommendation").asText());
        Map<Integer, double[]> bySize = stepsToTargetBySize();
        JsonNode sizes = summary.get("batchSizes");
        assertEquals(4, sizes.size());
        for (JsonNode size : sizes) {
            int b = size.get("batchSize").asInt();
            assertEquals(2, size.get("runs").asInt());
            assertEquals(2, size.get("reachedTarget").asInt());
            assertEquals(bySize.get(b)[0], size.get("stepsToTarget").asDouble(), 1e-9);
            assertEquals(0.05, size.get("bestLearningRate").asDouble(), 1e-12);
            assertEquals(bySize.get(b)[1], size.get("samplesToTarget").asDouble(), 1e-9);
            double volatility = textbookRuns().stream().filter(r -> r.batchSize == b)
                    .mapToDouble(r -> r.volatility(100)).average().orElseThrow();
            assertEquals(volatility, size.get("lossVolatility").asDouble(), 1e-12);
        }
        // the textbook's "small batches fluctuate": the loss of B=16 jumps around its trend more than that of B=256
        assertTrue(sizes.get(0).get("lossVolatility").asDouble() > sizes.get(3).get("lossVolatility").asDouble());
        JsonNode fit = summary.get("fit");
        assertEquals(scrape.value("batchscope_sweep_critical_batch_size", "sweep", SWEEP), fit.get("bCrit").asDouble(),
                1e-9 * fit.get("bCrit").asDouble());
        assertTrue(summary.get("recommendation").asText().startsWith("Critical batch size ≈"),
                summary.get("recommendation").asText());
    }

    /** Grafana's Infinity panels read these: one series per batch size and learning rate, seeds averaged. */
    @Test
    void flatPointsGiveOneSeriesPerBatchSizeAndLearningRateWithTheSeedMean() {
        JsonNode rows = get("/api/v1/points?sweep=" + SWEEP + "&metric=train_loss_ema&x=step&points=20000");
        Map<String, List<JsonNode>> bySeries = new TreeMap<>();
        rows.forEach(r -> bySeries.computeIfAbsent(r.get("series").asText(), k -> new ArrayList<>()).add(r));
        assertEquals(new TreeSet<>(List.of("B=16 lr=0.05", "B=64 lr=0.05", "B=128 lr=0.05", "B=256 lr=0.05",
                "target 0.5")), bySeries.keySet());
        for (int b : List.of(16, 64, 128, 256)) {
            List<JsonNode> points = bySeries.get("B=" + b + " lr=0.05");
            List<Oracle.Run> seeds = textbookRuns().stream().filter(r -> r.batchSize == b).toList();
            assertEquals(2, seeds.size());
            // overlaid from the first iteration, whenever the runs trained; at each step the mean of the two seeds
            assertEquals(1.0, points.get(0).get("x").asDouble());
            int n = Math.min(seeds.get(0).lossEma().length, seeds.get(1).lossEma().length);
            for (int i = 0; i < n; i++) {
                JsonNode p = points.get(i);
                assertEquals(i + 1.0, p.get("x").asDouble());
                assertEquals((seeds.get(0).lossEma()[i] + seeds.get(1).lossEma()[i]) / 2, p.get("y").asDouble(),
                        1e-12, "B=" + b + " step " + (i + 1));
                assertEquals(2, p.get("runs").asInt());
                assertEquals(Integer.toString(b), p.get("batchSize").asText());
                assertEquals(b, p.get("effectiveBatchSize").asInt());
                assertEquals("run", p.get("kind").asText());
            }
        }
        List<JsonNode> target = bySeries.get("target 0.5");
        assertEquals(2, target.size());
        target.forEach(t -> assertEquals(0.5, t.get("y").asDouble()));

        JsonNode bySamples = get("/api/v1/points?sweep=" + SWEEP + "&metric=train_loss&x=samples&points=20000");
        JsonNode firstOf256 = null;
        for (JsonNode r : bySamples) {
            if (r.get("series").asText().equals("B=256 lr=0.05")) {
                firstOf256 = r;
                break;
            }
        }
        assertNotNull(firstOf256);
        assertEquals(256.0, firstOf256.get("x").asDouble(), "samples seen after the first step of B=256");

        // two sweeps: the legends carry each sweep's name
        JsonNode two = get("/api/v1/points?sweep=" + SWEEP + "," + RecordTextbookSweep.ARCHIVE_SWEEP
                + "&metric=val_accuracy&x=step");
        Set<String> series = new TreeSet<>();
        two.forEach(r -> series.add(r.get("series").asText()));
        assertTrue(series.contains("textbook B=16 lr=0.05") && series.contains("archive B=32 lr=0.05"), series.toString());
        assertTrue(series.stream().noneMatch(x -> x.contains("target")), "no target line for accuracy: " + series);
    }

    @Test
    void flatScalingGivesTheMeasuredStepsAndSamplesAndTheFittedCurves() {
        JsonNode rows = get("/api/v1/scaling?sweep=" + SWEEP + "&points=9");
        Map<Integer, double[]> bySize = stepsToTargetBySize();
        JsonNode summaryFit = get("/api/v1/sweeps/" + SWEEP + "/summary").get("fit");
        double sMin = summaryFit.get("sMin").asDouble();
        double eMin = summaryFit.get("eMin").asDouble();
        double bCrit = summaryFit.get("bCrit").asDouble();
        int measured = 0;
        List<Double> fitSizes = new ArrayList<>();
        for (JsonNode row : rows) {
            double b = row.get("batchSize").asDouble();
            if (row.get("kind").asText().equals("measured")) {
                measured++;
                assertEquals("measured", row.get("series").asText());
                assertEquals(bySize.get((int) b)[0], row.get("steps").asDouble(), 1e-9);
                assertEquals(bySize.get((int) b)[1], row.get("samples").asDouble(), 1e-9);
            } else {
                assertEquals("fit", row.get("series").asText());
                fitSizes.add(b);
                assertEquals(sMin * (1 + bCrit / b), row.get("steps").asDouble(), 1e-9 * sMin * (1 + bCrit / b));
                assertEquals(eMin * (1 + b / bCrit), row.get("samples").asDouble(), 1e-9 * eMin * (1 + b / bCrit));
            }
        }
        assertEquals(4, measured);
        assertEquals(9, fitSizes.size());
        // from an octave below the smallest size to an octave above the largest, evenly on a log axis
        assertEquals(8.0, fitSizes.get(0), 1e-9);
        assertEquals(512.0, fitSizes.get(8), 1e-9);
        assertEquals(64.0, fitSizes.get(4), 1e-9);
    }

    /** The study's panels: a row per (batch size, learning rate) cell, the best one marked, as in the summary. */
    @Test
    void flatStudyGivesTheGridCellsWithTheBestLearningRateMarked() {
        JsonNode summary = get("/api/v1/sweeps/" + SWEEP + "/summary");
        JsonNode rows = get("/api/v1/study?sweep=" + SWEEP);
        JsonNode grid = summary.get("grid");
        assertEquals(grid.size(), rows.size());
        assertEquals(4, rows.size(), "a fixed sweep has one cell per batch size");
        Map<Integer, double[]> bySize = stepsToTargetBySize();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            JsonNode cell = grid.get(i);
            int b = row.get("batchSize").asInt();
            assertEquals(SWEEP, row.get("sweep").asText());
            assertEquals("textbook", row.get("sweepName").asText());
            assertEquals(cell.get("batchSize").asInt(), b);
            assertEquals(0.05, row.get("learningRate").asDouble());
            assertEquals(2, row.get("runs").asInt());
            assertEquals(cell.get("reached").asInt(), row.get("reached").asInt());
            assertEquals(bySize.get(b)[0], row.get("meanSteps").asDouble(), 1e-9);
            // the one learning rate of a fixed sweep is each batch size's best
            assertTrue(row.get("best").asBoolean(), row.toString());
            assertEquals("best", row.get("series").asText());
            assertEquals("B=" + b, row.get("row").asText());
        }
        for (JsonNode size : summary.get("batchSizes")) {
            long best = 0;
            for (JsonNode row : rows) {
                if (row.get("batchSize").asInt() == size.get("batchSize").asInt() && row.get("best").asBoolean()) {
                    best++;
                    assertEquals(size.get("bestLearningRate").asDouble(), row.get("learningRate").asDouble());
                }
            }
            assertEquals(1, best, "one best learning rate per batch size: " + size);
        }

        // two sweeps: the legends carry each sweep's name
        JsonNode two = get("/api/v1/study?sweep=" + SWEEP + "," + RecordTextbookSweep.ARCHIVE_SWEEP);
        Set<String> series = new TreeSet<>();
        two.forEach(r -> series.add(r.get("series").asText()));
        assertTrue(series.contains("textbook best"), series.toString());
        assertTrue(two.get(0).get("row").asText().equals("textbook B=16"), two.get(0).toString());
        assertTrue(series.stream().allMatch(x -> x.startsWith("textbook ") || x.startsWith("archive ")),
                series.toString());
    }

    /** B_crit with its interval beside B_simple at the target: the summary's numbers, one row per sweep. */
    @Test
    void flatCriticalBatchSizeGivesTheIntervalAndTheNoiseScaleAtTheTarget() {
        JsonNode summary = get("/api/v1/sweeps/" + SWEEP + "/summary");
        JsonNode rows = get("/api/v1/critical-batch-size?sweep=" + SWEEP);
        assertEquals(1, rows.size());
        JsonNode row = rows.get(0);
        JsonNode critical = summary.get("criticalBatchSize");
        assertEquals("textbook", row.get("series").asText());
        assertEquals(critical.get("value").asDouble(), row.get("criticalBatchSize").asDouble());
        assertEquals(summary.get("fit").get("bCrit").asDouble(), row.get("criticalBatchSize").asDouble());
        assertEquals(critical.get("low").asDouble(), row.get("low").asDouble());
        assertEquals(critical.get("high").asDouble(), row.get("high").asDouble());
        assertTrue(row.get("low").asDouble() <= row.get("criticalBatchSize").asDouble()
                && row.get("criticalBatchSize").asDouble() <= row.get("high").asDouble(), row.toString());
        assertEquals(critical.get("method").asText(), row.get("method").asText());
        assertEquals(summary.get("noiseScaleAtTarget").asDouble(), row.get("noiseScaleAtTarget").asDouble());
        assertEquals(summary.get("criticalToNoiseRatio").asDouble(), row.get("criticalToNoiseRatio").asDouble());
        // a fixed sweep's learning rates are its rule, not a finding
        assertTrue(row.get("lrExponent").isNull() && row.get("lrShape").isNull(), row.toString());

        JsonNode two = get("/api/v1/critical-batch-size?sweep=" + SWEEP + "," + RecordTextbookSweep.ARCHIVE_SWEEP);
        assertEquals(2, two.size());
        assertEquals("archive", two.get(1).get("series").asText());
        assertTrue(two.get(1).get("criticalBatchSize").isNull(), "one batch size fits nothing: " + two.get(1));
    }

    @Test
    void flatTablesNameTheBadParameter() throws Exception {
        assertEquals("sweep", problem("/api/v1/points?metric=train_loss", 400)
                .get("violations").get(0).get("field").asText());
        JsonNode bad = problem("/api/v1/points?sweep=" + SWEEP + ",%2Fbad&metric=loss", 400);
        assertEquals("sweep", bad.get("violations").get(0).get("field").asText());
        assertEquals("metric", bad.get("violations").get(1).get("field").asText());
        assertEquals("points", problem("/api/v1/scaling?sweep=" + SWEEP + "&points=1", 400)
                .get("violations").get(0).get("field").asText());
        assertEquals(0, get("/api/v1/points?sweep=no-such-sweep").size(), "a sweep not held here is left out");
        assertEquals("sweep", problem("/api/v1/study", 400).get("violations").get(0).get("field").asText());
        assertEquals("sweep", problem("/api/v1/critical-batch-size?sweep=%2Fbad", 400)
                .get("violations").get(0).get("field").asText());
        assertEquals(0, get("/api/v1/study?sweep=no-such-sweep").size());
        assertEquals(0, get("/api/v1/critical-batch-size?sweep=no-such-sweep").size());
    }

    /**
     * Every batchscope_* name on /q/metrics is one of events' ExportedMetric with its one type (the contract of
     * docs/design.md#8-metrics), the sweep's info and creation time are there for the dashboards' sweep variable,
     * and the Kafka binder exports the consumers' own lag, which the lag alert reads.
     */
    @Test
    void exportsOnlyContractNamesWithTheirTypesTheSweepInfoAndTheConsumerLag() {
        String text = RestAssured.get("/q/metrics").asString();
        java.util.regex.Matcher type = java.util.regex.Pattern.compile("(?m)^# TYPE (batchscope_\\w+) (\\w+)$")
                .matcher(text);
        Set<String> seen = new TreeSet<>();
        while (type.find()) {
            String name = type.group(1);
            ExportedMetric metric = ExportedMetric.ofPrometheusName(name);
            assertNotNull(metric, name + " is exported but not in ExportedMetric");
            String expected = name.endsWith("_max") && metric.type() == ExportedMetric.Type.HISTOGRAM ? "gauge"
                    : metric.type().name().toLowerCase(java.util.Locale.ROOT);
            assertEquals(expected, type.group(2), name);
            assertTrue(metric.services().contains(ExportedMetric.Service.METRICS), name);
            seen.add(metric.prometheusName());
        }
        for (ExportedMetric metric : ExportedMetric.values()) {
            if (metric.services().contains(ExportedMetric.Service.METRICS)) {
                assertTrue(seen.contains(metric.prometheusName()), metric + " is not exported");
            }
        }
        assertEquals(1.0, scrape.value("batchscope_sweep_info", "sweep", SWEEP, "name", "textbook"));
        assertEquals(RecordTextbookSweep.T0.minusSeconds(60).getEpochSecond(),
                scrape.value("batchscope_sweep_created_timestamp_seconds", "sweep", SWEEP), 1e-3);
        assertEquals(0.5, scrape.value("batchscope_sweep_target_loss", "sweep", SWEEP));
        assertNotNull(scrape.value("batchscope_sweep_noise_scale", "sweep", SWEEP));
        assertEquals(1.0, scrape.sum("batchscope_build_info", PrometheusText.any()));
        // the metrics channel's consumers (kafka-consumer-metrics-0, -1), as the BatchscopeMetricsLagging alert reads
        assertFalse(scrape.samples("kafka_consumer_fetch_manager_records_lag_max",
                l -> l.getOrDefault("client_id", "").startsWith("kafka-consumer-metrics-")).isEmpty(),
                "no consumer lag of the metrics channel");
    }

    @Test
    void badQueriesAreProblemsNamingTheParameterAndTheAllowedValues() throws Exception {
        JsonNode metric = problem("/api/v1/sweeps/" + SWEEP + "/series?metric=loss", 400);
        assertEquals("metric", metric.get("violations").get(0).get("field").asText());
        assertTrue(metric.get("violations").get(0).get("message").asText().contains("train_loss_ema"));
        JsonNode axis = problem("/api/v1/sweeps/" + SWEEP + "/series?x=epochs&points=1", 400);
        assertEquals("x", axis.get("violations").get(0).get("field").asText());
        assertTrue(axis.get("violations").get(0).get("message").asText().contains("samples"));
        assertEquals("points", axis.get("violations").get(1).get("field").asText());
        assertEquals("points", problem("/api/v1/sweeps/" + SWEEP + "/series?points=many", 400)
                .get("violations").get(0).get("field").asText());
        assertEquals("id", problem("/api/v1/sweeps/no-such-sweep/summary", 404)
                .get("violations").get(0).get("field").asText());
        assertEquals("id", problem("/api/v1/sweeps/no-such-sweep/series", 404)
                .get("violations").get(0).get("field").asText());
        assertEquals("id", problem("/api/v1/sweeps/%2Fbad%20id/summary", 400)
                .get("violations").get(0).get("field").asText());
    }

    @Test
    void unreadableAndMisplacedRecordsGoToTheDeadLetterQueueWithTheirReason() {
        Map<String, Object> props = new HashMap<>(broker.consumerProps("dlq-reader-" + UUID.randomUUID()));
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.DLQ));
            long deadline = System.currentTimeMillis() + 30_000;
            while (dead.size() < 6 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(dead::add);
            }
        }
        assertEquals(6, dead.size(), "4 unreadable metrics records, 1 RunRequested on the metrics topic, "
                + "1 unreadable status record");
        Map<String, ConsumerRecord<String, byte[]>> byReason = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : dead) {
            String reason = header(r, "dead-letter-reason");
            assertNotNull(reason);
            assertNotNull(header(r, "dead-letter-offset"));
            assertNotNull(header(r, "dead-letter-partition"));
            byReason.put(reason, r);
        }
        ConsumerRecord<String, byte[]> notJson = dead.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals("{not json")).findFirst()
                .orElseThrow(() -> new AssertionError("the unreadable bytes travel to the DLQ unchanged"));
        assertEquals("tb-b16-s1", notJson.key());
        assertEquals(Topics.METRICS, header(notJson, "dead-letter-topic"));
        assertTrue(byReason.keySet().stream().anyMatch(r -> r.startsWith("loss:")), byReason.keySet().toString());
        assertTrue(byReason.keySet().stream().anyMatch(r -> r.startsWith("schemaVersion:")));
        assertTrue(byReason.keySet().stream().anyMatch(r -> r.startsWith("iteration:")));
        assertTrue(byReason.keySet().stream().anyMatch(r -> r.contains("RunRequested does not belong")));
        ConsumerRecord<String, byte[]> status = dead.stream()
                .filter(r -> Topics.RUNS_STATUS.equals(header(r, "dead-letter-topic"))).findFirst().orElseThrow();
        assertEquals("garbage", new String(status.value(), StandardCharsets.UTF_8));
    }

    @Test
    void streamSendsNewPointsAsServerSentEvents() throws Exception {
        // a sweep of its own, so the recorded one stays as recorded for the other tests
        RunStatusChanged running = new RunStatusChanged(Event.SCHEMA_VERSION, "lv-b32-s1", "sw-live", Instant.now(),
                RunState.RUNNING, 1, "trainer-a", 32, 0.05, null, SampleEvents.runSpec(),
                new SweepRef("live", Instant.now(), 1, 0, null, null, null), null, null);
        StreamFeeder.send(broker, Topics.RUNS_STATUS, running.runId(), EventJson.write(running));
        await("sw-live known").atMost(WAIT)
                .until(() -> RestAssured.get("/api/v1/sweeps/sw-live/summary").statusCode() == 200);
        try (SseClient sse = SseClient.open(RestAssured.port, "/api/v1/sweeps/sw-live/stream")) {
            JsonNode hello = sse.next(Duration.ofSeconds(10));
            assertEquals("heartbeat", hello.get("type").asText());
            IterationMetrics first = new IterationMetrics(Event.SCHEMA_VERSION, "lv-b32-s1", "sw-live", Instant.now(),
                    1, 1L, 0, 32L, 2.25, 0.4, 0.05, 21L, 1500.0, null);
            StreamFeeder.send(broker, Topics.METRICS, first.runId(), EventJson.write(first));
            JsonNode update = sse.next(Duration.ofSeconds(10));
            while ("heartbeat".equals(update.get("type").asText())) {
                update = sse.next(Duration.ofSeconds(10));
            }
            assertEquals("points", update.get("type").asText());
            JsonNode runUpdate = update.get("runs").get(0);
            assertEquals("lv-b32-s1", runUpdate.get("runId").asText());
            assertEquals(32, runUpdate.get("batchSize").asInt());
            assertFalse(runUpdate.get("reset").asBoolean());
            JsonNode point = runUpdate.get("iterations").get(0);
            assertEquals(List.of("step", "samples", "seconds", "loss", "lossEma", "samplesPerSecond"),
                    fieldNames(point), "a point names its fields (docs/design.md section 9)");
            assertEquals(1, point.get("step").asLong());
            assertEquals(32, point.get("samples").asLong());
            assertEquals(0.021, point.get("seconds").asDouble());
            assertEquals(2.25, point.get("loss").asDouble());
            assertEquals(2.25, point.get("lossEma").asDouble(), "EMA of a single point");
            assertEquals(1500.0, point.get("samplesPerSecond").asDouble());
            assertEquals(0, runUpdate.get("noise").size(), "no noise measured at this iteration");
        }
    }

    @Test
    void unknownSweepHasNoStream() {
        Response response = RestAssured.given().get("/api/v1/sweeps/nope/stream");
        assertEquals(404, response.statusCode());
        assertEquals("application/problem+json", response.contentType());
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Integer> toInts(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    static JsonNode seriesOf(JsonNode response, String runId) {
        for (JsonNode s : response.get("series")) {
            if (s.get("runId").asText().equals(runId)) {
                return s;
            }
        }
        throw new AssertionError("no series of " + runId);
    }

    static JsonNode get(String path) {
        Response response = RestAssured.given().urlEncodingEnabled(false).get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.asString());
        try {
            return JSON.readTree(response.asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode problem(String path, int status) throws Exception {
        Response response = RestAssured.given().urlEncodingEnabled(false).get(path);
        assertEquals(status, response.statusCode(), path + ": " + response.asString());
        assertEquals("application/problem+json", response.contentType());
        return JSON.readTree(response.asString());
    }

    /**
     * The live page in a real headless Chromium: pick a sweep, one line per batch size, the x-axis switch, live
     * points. Last, on a sweep of its own (one seed per batch size, as in the textbook), so the other tests see the
     * recording alone.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void livePageDrawsOneLinePerBatchSizeSwitchesTheAxisAndFollowsTheStream() throws Exception {
        StreamFeeder.feedTextbookAs(broker, PAGE_SWEEP, "pg", run -> run.endsWith("-s1"));
        await("the page's sweep summarized").atMost(WAIT)
                .until(() -> RestAssured.get("/api/v1/sweeps/" + PAGE_SWEEP + "/summary").asString()
                        .contains("\"reachedTarget\":1"));
        ChromeDriver driver = Browser.start();
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get("http://localhost:" + RestAssured.port + "/");
            wait.until(d -> !d.findElements(By.cssSelector("#sweep option[value='" + PAGE_SWEEP
                    + "']")).isEmpty());
            new Select(driver.findElement(By.id("sweep"))).selectByValue(PAGE_SWEEP);
            waitReady(driver, wait, "step", 0);

            List<String> emaLabels = strings(driver, "return batchscope.charts.loss.series.slice(1)"
                    + ".filter(s => s.label.endsWith('EMA')).map(s => s.label)");
            assertEquals(List.of("B=16 EMA", "B=64 EMA", "B=128 EMA", "B=256 EMA"), emaLabels);
            assertEquals(4L, number(driver, "return batchscope.charts.accuracy.series.length - 1"));
            assertEquals(4L, number(driver, "return batchscope.charts.variance.series.length - 1"));
            assertEquals(4L, number(driver, "return batchscope.charts.noise.series.length - 1"));
            assertEquals(4L, number(driver, "return new Set(batchscope.charts.accuracy.series.slice(1)"
                    + ".map(s => s.stroke())).size"), "a color per batch size");
            assertEquals(4L, number(driver, "return document.querySelectorAll('.u-legend')[1]"
                    + ".querySelectorAll('tr.u-series').length - 1"), "a legend entry per batch size");
            assertEquals(640L, number(driver, "return Math.max(...batchscope.charts.loss.data[0])"),
                    "B=16 trains 640 steps");
            double stepsOfB256 = number(driver, "return batchscope.charts.loss.data[0].filter((x, i) => "
                    + "batchscope.charts.loss.data[7][i] != null).length");
            assertEquals(40.0, stepsOfB256, "B=256 trains 40 steps");

            int loads = (int) number(driver, "return batchscope.loads");
            driver.findElement(By.id("x-samples")).click();
            waitReady(driver, wait, "samples", loads);
            // every run, whatever its batch size, ends after 20 epochs of 512 samples
            assertEquals(List.of(10_240L), longs(driver, "const d = batchscope.charts.loss.data;"
                    + " return [...new Set(d.slice(1).map(ys => Math.max(...d[0].filter((x, i) => ys[i] != null))))]"));
            screenshot(driver, "live-page-samples.png");

            loads = (int) number(driver, "return batchscope.loads");
            driver.findElement(By.id("x-seconds")).click();
            waitReady(driver, wait, "seconds", loads);
            double seconds = number(driver, "return Math.max(...batchscope.charts.loss.data[0])");
            assertEquals(640 * 6 / 1000.0, seconds, 1e-9, "B=16: 640 steps of 6 ms");

            loads = (int) number(driver, "return batchscope.loads");
            driver.findElement(By.id("x-step")).click();
            waitReady(driver, wait, "step", loads);
            IterationMetrics extra = new IterationMetrics(Event.SCHEMA_VERSION, "pg-b16-s1",
                    PAGE_SWEEP, Instant.now(), 1, 641L, 20, 641L * 16, 0.31, 0.5, 0.05, 3846L,
                    3200.0, null);
            StreamFeeder.send(broker, Topics.METRICS, extra.runId(), EventJson.write(extra));
            wait.until(d -> number(driver, "return Math.max(...batchscope.charts.loss.data[0])") == 641.0);
            assertTrue(strings(driver, "return [document.getElementById('recommendation').textContent]").get(0)
                    .startsWith("Critical batch size"));
            String prediction = strings(driver, "return [document.getElementById('prediction').textContent]").get(0);
            assertTrue(prediction.startsWith("B_simple at loss ") && prediction.contains(": expect a critical batch size near "),
                    prediction);
            TreeSet<String> rows = new TreeSet<>(strings(driver, "return [...document.querySelectorAll("
                    + "'#batch-sizes tbody tr td:first-child')].map(td => td.textContent)"));
            assertEquals(new TreeSet<>(List.of("16", "64", "128", "256")), rows);
            screenshot(driver, "live-page.png");
        } finally {
            driver.quit();
        }
    }

    private static void waitReady(ChromeDriver driver, WebDriverWait wait, String x, int loadsBefore) {
        wait.until(d -> "true".equals(attribute(driver, "ready")) && x.equals(attribute(driver, "x"))
                && Integer.parseInt(attribute(driver, "loads")) > loadsBefore);
    }

    private static String attribute(ChromeDriver driver, String name) {
        return String.valueOf(driver.executeScript("return document.body.dataset." + name));
    }

    private static double number(ChromeDriver driver, String script) {
        return ((Number) driver.executeScript(script)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> longs(ChromeDriver driver, String script) {
        return ((List<Number>) driver.executeScript(script)).stream().map(Number::longValue).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(ChromeDriver driver, String script) {
        return (List<String>) driver.executeScript(script);
    }

    /**
     * The page as Chromium drew it, in target/; also in the folder that {@code -Dbatchscope.screenshots} names (the
     * README's picture: {@code -Dbatchscope.screenshots=$PWD/docs/images}).
     */
    private static void screenshot(ChromeDriver driver, String name) throws Exception {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
        String folder = System.getProperty("batchscope.screenshots", "");
        if (!folder.isBlank()) {
            Files.createDirectories(Path.of(folder));
            Files.copy(shot, Path.of(folder, name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package dev.batchscope.metrics.api;

import dev.batchscope.events.validation.SpecValidator;
import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import dev.batchscope.metrics.aggregation.Aggregator;
import dev.batchscope.metrics.analysis.SweepAnalysis;
import dev.batchscope.metrics.analysis.SweepSummary;
import dev.batchscope.metrics.engine.RunMetrics;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.SeriesMetric;
import dev.batchscope.metrics.engine.SeriesReader;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.SweepRecord;
import dev.batchscope.metrics.engine.XAxis;
import dev.batchscope.metrics.export.LabelValues;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The sweeps' curves as flat tables, one JSON object per point, for chart tools that read tables (Grafana's Infinity
 * datasource; docs/design.md#9-http): loss or accuracy against iterations or samples, one series per batch size and
 * learning rate (seeds averaged), overlaid from step 0 whenever the runs trained; and steps and samples to the target
 * against batch size with the fitted curves; the study's grid of (batch size, learning rate) cells with each batch
 * size's best learning rate, and B_crit with its interval beside B_simple at the target. Several sweeps at once
 * ({@code sweep=a,b}) put each sweep's name in the legends. Sweeps this service does not hold are left out.
 */
@Blocking
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class FlatSeriesResource {
    static final int MAX_SWEEPS = 16;
    static final int DEFAULT_FIT_POINTS = 32;
    static final int MAX_FIT_POINTS = 200;

    private final Aggregator aggregator;

    public FlatSeriesResource(Aggregator aggregator) {
        this.aggregator = aggregator;
    }

    @GET
    @Path("points")
    public CompletionStage<List<PointRow>> points(@QueryParam("sweep") String sweep,
                                                  @QueryParam("metric") String metric, @QueryParam("x") String x,
                                                  @QueryParam("points") String points) {
        List<Violation> violations = new ArrayList<>();
        List<String> ids = sweepIds(sweep, violations);
        SweepResultsResource.SeriesQuery query;
        try {
            // the same metric, x and points rules as /sweeps/{id}/series; the id is checked above
            query = SweepResultsResource.SeriesQuery.parse(ids.isEmpty() ? "x" : ids.get(0), metric, x, points);
        } catch (ValidationException e) {
            violations.addAll(e.violations());
            query = null;
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        SweepResultsResource.SeriesQuery q = query;
        return aggregator.read(store -> points(store, ids, q));
    }

    @GET
    @Path("scaling")
    public CompletionStage<List<ScalingRow>> scaling(@QueryParam("sweep") String sweep,
                                                     @QueryParam("points") String points) {
        List<Violation> violations = new ArrayList<>();
        List<String> ids = sweepIds(sweep, violations);
        int n = DEFAULT_FIT_POINTS;
        if (points != null) {
            try {
                n = Integer.parseInt(points.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 2 || n > MAX_FIT_POINTS) {
                violations.add(new Violation("points", "must be an integer from 2 to " + MAX_FIT_POINTS + ", got \""
                        + points + "\""));
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        int fitPoints = n;
        return aggregator.read(store -> scaling(store, ids, fitPoints));
    }

    @GET
    @Path("study")
    public CompletionStage<List<StudyRow>> study(@QueryParam("sweep") String sweep) {
        List<String> ids = requiredSweepIds(sweep);
        return aggregator.read(store -> study(store, ids));
    }

    @GET
    @Path("critical-batch-size")
    public CompletionStage<List<CriticalBatchSizeRow>> criticalBatchSize(@QueryParam("sweep") String sweep) {
        List<String> ids = requiredSweepIds(sweep);
        return aggregator.read(store -> criticalBatchSize(store, ids));
    }

    private static List<String> requiredSweepIds(String sweep) {
        List<Violation> violations = new ArrayList<>();
        List<String> ids = sweepIds(sweep, violations);
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return ids;
    }

    private static List<PointRow> points(Store store, List<String> ids, SweepResultsResource.SeriesQuery query) {
        List<SweepRecord> sweeps = held(store, ids);
        Map<String, String> prefixes = legendPrefixes(sweeps);
        List<PointRow> rows = new ArrayList<>();
        for (SweepRecord sweep : sweeps) {
            String prefix = prefixes.get(sweep.sweepId());
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            for (Map.Entry<Group, List<RunRecord>> entry : groups(sweep).entrySet()) {
                Group group = entry.getKey();
                List<double[][]> curves = new ArrayList<>();
                for (RunRecord run : entry.getValue()) {
                    RunMetrics m = run.metrics();
                    if (m != null) {
                        curves.add(SeriesReader.read(query.metric().seriesOf(m), query.metric().column(), query.x(),
                                query.points()));
                    }
                }
                String series = prefix + "B=" + group.batchSize() + " lr=" + LabelValues.number(group.learningRate());
                for (double[] p : SeedMean.of(curves, query.points())) {
                    rows.add(new PointRow(sweep.sweepId(), sweep.name(), series, PointRow.RUN, group.batchSize(),
                            group.effectiveBatchSize(), group.learningRate(), entry.getValue().size(), p[0], p[1]));
                    minX = Math.min(minX, p[0]);
                    maxX = Math.max(maxX, p[0]);
                }
            }
            Double target = isLoss(query.metric()) ? SweepAnalysis.summarize(sweep, store).target().loss() : null;
            if (target != null && minX <= maxX) {
                String series = prefix + "target " + LabelValues.number(target);
                for (double x : new double[] {minX, maxX}) {
                    rows.add(new PointRow(sweep.sweepId(), sweep.name(), series, PointRow.TARGET, null, null, null, 0,
                            x, target));
                }
            }
        }
        return rows;
    }

    private static List<ScalingRow> scaling(Store store, List<String> ids, int fitPoints) {
        List<SweepRecord> sweeps = held(store, ids);
        Map<String, String> prefixes = legendPrefixes(sweeps);
        List<ScalingRow> rows = new ArrayList<>();
        for (SweepRecord sweep : sweeps) {
            String prefix = prefixes.get(sweep.sweepId());
            SweepSummary summary = SweepAnalysis.summarize(sweep, store);
            double minB = Double.POSITIVE_INFINITY;
            double maxB = Double.NEGATIVE_INFINITY;
            for (SweepSummary.BatchSizeRow row : summary.batchSizes()) {
                if (row.stepsToTarget() != null && row.samplesToTarget() != null) {
                    rows.add(new ScalingRow(sweep.sweepId(), sweep.name(), prefix + ScalingRow.MEASURED,
                            ScalingRow.MEASURED, row.batchSize(), row.stepsToTarget(), row.samplesToTarget()));
                    minB = Math.min(minB, row.batchSize());
                    maxB = Math.max(maxB, row.batchSize());
                }
            }
            SweepSummary.Fit fit = summary.fit();
            if (fit == null || !(minB <= maxB)) {
                continue;
            }
            // an octave beyond the measured sizes on both sides shows where the curves bend
            double from = Math.log(minB / 2);
            double to = Math.log(maxB * 2);
            for (int i = 0; i < fitPoints; i++) {
                double b = Math.exp(from + (to - from) * i / (fitPoints - 1));
                rows.add(new ScalingRow(sweep.sweepId(), sweep.name(), prefix + ScalingRow.FIT, ScalingRow.FIT, b,
                        fit.sMin() * (1 + fit.bCrit() / b), fit.eMin() * (1 + b / fit.bCrit())));
            }
        }
        return rows;
    }

    /** The grid's cells, each marked best when it is its batch size's best learning rate. */
    private static List<StudyRow> study(Store store, List<String> ids) {
        List<SweepRecord> sweeps = held(store, ids);
        Map<String, String> prefixes = legendPrefixes(sweeps);
        List<StudyRow> rows = new ArrayList<>();
        for (SweepRecord sweep : sweeps) {
            String prefix = prefixes.get(sweep.sweepId());
            SweepSummary summary = SweepAnalysis.summarize(sweep, store);
            Map<Integer, Double> bestRate = new HashMap<>();
            for (SweepSummary.BatchSizeRow row : summary.batchSizes()) {
                if (row.bestLearningRate() != null) {
                    bestRate.put(row.batchSize(), row.bestLearningRate());
                }
            }
            for (SweepSummary.GridCell cell : summary.grid()) {
                boolean best = bestRate.containsKey(cell.batchSize())
                        && bestRate.get(cell.batchSize()) == cell.learningRate();
                rows.add(new StudyRow(sweep.sweepId(), sweep.name(),
                        prefix + (best ? StudyRow.BEST : StudyRow.TRIED), prefix + "B=" + cell.batchSize(),
                        cell.batchSize(), cell.learningRate(), cell.runs(), cell.reached(), cell.meanSteps(), best));
            }
        }
        return rows;
    }

    /** One row per sweep: B_crit with its interval, B_simple at the target, their ratio, the learning-rate scaling. */
    private static List<CriticalBatchSizeRow> criticalBatchSize(Store store, List<String> ids) {
        List<SweepRecord> sweeps = held(store, ids);
        Set<String> seen = new HashSet<>();
        boolean distinct = sweeps.stream().allMatch(s -> s.name() != null && seen.add(s.name()));
        List<CriticalBatchSizeRow> rows = new ArrayList<>();
        for (SweepRecord sweep : sweeps) {
            SweepSummary summary = SweepAnalysis.summarize(sweep, store);
            SweepSummary.CriticalBatchSize b = summary.criticalBatchSize();
            SweepSummary.LrScaling lr = summary.lrScaling();
            rows.add(new CriticalBatchSizeRow(sweep.sweepId(), sweep.name(),
                    distinct ? sweep.name() : sweep.sweepId(),
                    b == null ? null : b.value(), b == null ? null : b.low(), b == null ? null : b.high(),
                    b == null ? null : b.method(), summary.noiseScaleAtTarget(), summary.criticalToNoiseRatio(),
                    lr == null ? null : lr.exponent(), lr == null ? null : lr.shape()));
        }
        return rows;
    }

    /** One line of a chart: the runs of a sweep with one batch size and one peak learning rate. */
    private record Group(int effectiveBatchSize, String batchSize, Double learningRate) {
    }

    private static Map<Group, List<RunRecord>> groups(SweepRecord sweep) {
        List<RunRecord> runs = new ArrayList<>(sweep.runs());
        runs.removeIf(r -> r.batchSize() == null);
        runs.sort(Comparator.comparing(RunRecord::batchSize)
                .thenComparing(r -> r.learningRate() == null ? Double.MAX_VALUE : r.learningRate())
                .thenComparing(RunRecord::runId));
        Map<Group, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            Group group = new Group(run.batchSize(), batchSizeLabel(run), run.learningRate());
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(run);
        }
        return groups;
    }

    private static String batchSizeLabel(RunRecord run) {
        boolean full = run.spec() != null && run.spec().batchSize() != null && run.spec().batchSize().isFull();
        return full ? "full" : Integer.toString(run.batchSize());
    }

    private static boolean isLoss(SeriesMetric metric) {
        return metric == SeriesMetric.TRAIN_LOSS || metric == SeriesMetric.TRAIN_LOSS_EMA
                || metric == SeriesMetric.VAL_LOSS;
    }

    private static List<SweepRecord> held(Store store, List<String> ids) {
        List<SweepRecord> sweeps = new ArrayList<>();
        for (String id : ids) {
            SweepRecord sweep = store.sweep(id);
            if (sweep != null) {
                sweeps.add(sweep);
            }
        }
        return sweeps;
    }

    /**
     * Nothing before the legends of one sweep; with several, each sweep's name (its id where names repeat), so the
     * curves of two sweeps with the same batch size can be told apart.
     */
    private static Map<String, String> legendPrefixes(List<SweepRecord> sweeps) {
        Map<String, String> prefixes = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        boolean distinct = sweeps.stream().allMatch(s -> s.name() != null && names.add(s.name()));
        for (SweepRecord sweep : sweeps) {
            prefixes.put(sweep.sweepId(), sweeps.size() == 1 ? ""
                    : (distinct ? sweep.name() : sweep.sweepId()) + " ");
        }
        return prefixes;
    }

    /** {@code sweep=a,b,c}: Grafana's csv format of a multi-value variable. */
    static List<String> sweepIds(String value, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new Violation("sweep", "is required: one sweep id, or several separated by commas"));
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String id = part.trim();
            if (!SpecValidator.NAME.matcher(id).matches()) {
                violations.add(new Violation("sweep", "\"" + id + "\" is not a sweep id: " + SpecValidator.NAME_RULE));
            } else {
                ids.add(id);
            }
        }
        if (ids.size() > MAX_SWEEPS) {
            violations.add(new Violation("sweep", "at most " + MAX_SWEEPS + " sweeps, got " + ids.size()));
        }
        return List.copyOf(ids);
    }
}

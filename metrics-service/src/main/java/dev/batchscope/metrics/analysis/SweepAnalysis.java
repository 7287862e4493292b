package dev.batchscope.metrics.analysis;

import dev.batchscope.events.spec.RunState;
import dev.batchscope.metrics.engine.EngineSettings;
import dev.batchscope.metrics.engine.RunMetrics;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.ShapeSeries;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.SweepRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Turns a sweep's runs into its summary: per run, per batch size, the fit and the recommendation. */
public final class SweepAnalysis {
    private SweepAnalysis() {
    }

    public static SweepSummary summarize(SweepRecord sweep, Store store) {
        EngineSettings settings = store.settings();
        List<RunRecord> runs = new ArrayList<>(sweep.runs());
        runs.sort(Comparator.comparing((RunRecord r) -> r.batchSize() == null ? Integer.MAX_VALUE : r.batchSize())
                .thenComparing(r -> r.seed() == null ? Long.MAX_VALUE : r.seed())
                .thenComparing(RunRecord::runId));
        List<SweepSummary.RunRow> rows = new ArrayList<>(runs.size());
        Map<Integer, List<SweepSummary.RunRow>> bySize = new TreeMap<>();
        Double target = null;
        for (RunRecord run : runs) {
            SweepSummary.RunRow row = row(run);
            rows.add(row);
            if (row.batchSize() != null) {
                bySize.computeIfAbsent(row.batchSize(), k -> new ArrayList<>()).add(row);
            }
            if (target == null && run.metrics() != null) {
                target = run.metrics().target();
            }
            if (target == null && run.spec() != null) {
                target = run.spec().targetLoss();
            }
        }
        if (target == null) {
            target = settings.defaultTargetLoss().orElse(null);
        }
        List<SweepSummary.BatchSizeRow> sizes = new ArrayList<>();
        List<ScalingFit.Point> points = new ArrayList<>();
        for (Map.Entry<Integer, List<SweepSummary.RunRow>> entry : bySize.entrySet()) {
            SweepSummary.BatchSizeRow size = batchSizeRow(entry.getKey(), entry.getValue());
            sizes.add(size);
            if (size.stepsToTarget() != null && size.samplesToTarget() != null) {
                points.add(new ScalingFit.Point(size.batchSize(), size.stepsToTarget(), size.samplesToTarget()));
            }
        }
        Optional<ScalingFit.Result> result = ScalingFit.fit(points);
        SweepSummary.Fit fit = result.map(r -> new SweepSummary.Fit(r.sMin(), r.eMin(), r.bCrit(), r.points()))
                .orElse(null);
        Double noiseScale = mean(sizes, SweepSummary.BatchSizeRow::noiseScale);
        String recommendation = Recommendation.text(target, sizes, points.size(), fit, noiseScale);
        return new SweepSummary(sweep.sweepId(), sweep.name(), sweep.createdAt(), sweep.runCount(),
                store.holdsWholeSweep(sweep), new SweepSummary.Target(target, settings.targetSource().wire()), rows,
                sizes, fit, noiseScale, recommendation);
    }

    static SweepSummary.RunRow row(RunRecord run) {
        RunMetrics m = run.metrics();
        String state = run.state() == null ? null : run.state().wire();
        if (m == null) {
            return new SweepSummary.RunRow(run.runId(), run.batchSize(), run.seed(), run.learningRate(), state,
                    run.statusAttempt() < 0 ? null : run.statusAttempt(), 0, run.budgetIterations(), 0, 0, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        RunMetrics.TargetHit hit = m.targetHit();
        double gap = m.valLoss() - m.evalTrainLoss();
        return new SweepSummary.RunRow(run.runId(), run.batchSize(), run.seed(), run.learningRate(), state,
                m.attempt(), m.iteration(), run.budgetIterations(), m.epoch(), m.samplesSeen(),
                m.elapsedMs() / 1000.0, num(m.loss()), num(m.lossEma()),
                num(extreme(m.iterations(), RunMetrics.IT_LOSS_EMA, false)), num(m.valLoss()),
                num(extreme(m.validations(), RunMetrics.VAL_LOSS, false)), num(m.valAccuracy()),
                num(extreme(m.validations(), RunMetrics.VAL_ACCURACY, true)), num(m.noiseScale()), num(m.gradVariance()), num(m.samplesPerSecond()),
                hit == null ? null : hit.step(), hit == null ? null : hit.samples(),
                hit == null ? null : hit.elapsedMs() / 1000.0, num(m.lossVolatility()), num(gap));
    }

    private static SweepSummary.BatchSizeRow batchSizeRow(int batchSize, List<SweepSummary.RunRow> runs) {
        List<SweepSummary.RunRow> reached = runs.stream().filter(r -> r.stepsToTarget() != null).toList();
        int finished = (int) runs.stream()
                .filter(r -> r.state() != null && RunState.valueOf(r.state()).terminal()).count();
        return new SweepSummary.BatchSizeRow(batchSize, runs.size(), finished, reached.size(),
                mean(runs, SweepSummary.RunRow::emaLoss), mean(runs, SweepSummary.RunRow::bestEmaLoss),
                mean(runs, SweepSummary.RunRow::valLoss), mean(runs, SweepSummary.RunRow::bestValLoss),
                mean(runs, SweepSummary.RunRow::valAccuracy), mean(runs, SweepSummary.RunRow::bestValAccuracy),
                mean(reached, r -> r.stepsToTarget().doubleValue()),
                mean(reached, r -> r.samplesToTarget().doubleValue()),
                mean(reached, SweepSummary.RunRow::secondsToTarget), mean(runs, SweepSummary.RunRow::seconds),
                mean(runs, SweepSummary.RunRow::noiseScale), mean(runs, SweepSummary.RunRow::lossVolatility),
                mean(runs, SweepSummary.RunRow::generalizationGap));
    }

    /** The lowest (or highest) finite value of a column; NaN when there is none. */
    static double extreme(ShapeSeries series, int column, boolean highest) {
        double best = Double.NaN;
        for (int i = 0; i < series.size(); i++) {
            double v = series.value(i, column);
            if (Double.isFinite(v) && (Double.isNaN(best) || (highest ? v > best : v < best))) {
                best = v;
            }
        }
        return best;
    }

    /** The mean of the known values, null when none is known. */
    static <T> Double mean(List<T> items, java.util.function.Function<T, Double> value) {
        double sum = 0;
        int n = 0;
        for (T item : items) {
            Double v = value.apply(item);
            if (v != null && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String format(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}

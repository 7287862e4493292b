package dev.batchscope.metrics.analysis;

import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.metrics.engine.EngineSettings;
import dev.batchscope.metrics.engine.RunMetrics;
import dev.batchscope.metrics.engine.RunRecord;
import dev.batchscope.metrics.engine.ShapeSeries;
import dev.batchscope.metrics.engine.Store;
import dev.batchscope.metrics.engine.SweepRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a sweep's runs into its summary (docs/design.md section 7): per run; per (batch size, learning rate) cell;
 * per batch size at its best learning rate; the one scaling fit on those best points with a bootstrap interval for
 * B_crit; B_simple at the target beside it; how the best learning rate scales; what early stops saved.
 */
public final class SweepAnalysis {
    private SweepAnalysis() {
    }

    public static SweepSummary summarize(SweepRecord sweep, Store store) {
        EngineSettings settings = store.settings();
        List<RunRecord> runs = new ArrayList<>(sweep.runs());
        runs.sort(Comparator.comparing((RunRecord r) -> r.batchSize() == null ? Integer.MAX_VALUE : r.batchSize())
                .thenComparing(r -> r.learningRate() == null ? Double.MAX_VALUE : r.learningRate())
                .thenComparing(r -> r.seed() == null ? Long.MAX_VALUE : r.seed())
                .thenComparing(RunRecord::runId));
        List<SweepSummary.RunRow> rows = new ArrayList<>(runs.size());
        Double target = null;
        Protocol protocol = Protocol.FIXED;
        for (RunRecord run : runs) {
            rows.add(row(run));
            if (target == null && run.metrics() != null) {
                target = run.metrics().target();
            }
            if (target == null && run.spec() != null) {
                target = run.spec().targetLoss();
            }
            if (run.protocol() == Protocol.TUNED) {
                protocol = Protocol.TUNED;
            }
        }
        if (target == null) {
            target = settings.defaultTargetLoss().orElse(null);
        }
        SweepSummary.Target targetRow = new SweepSummary.Target(target, settings.targetSource().wire());
        return study(sweep, store.holdsWholeSweep(sweep), protocol, targetRow, rows);
    }

    /** The study's analysis of the run rows; separate from the store so that tests can feed rows directly. */
    static SweepSummary study(SweepRecord sweep, boolean complete, Protocol protocol, SweepSummary.Target target,
                              List<SweepSummary.RunRow> rows) {
        List<LearningRateCell> cells = LearningRateCell.group(rows);
        Map<Integer, LearningRateCell> best = LearningRateCell.bestPerBatchSize(cells);
        Map<Integer, List<SweepSummary.RunRow>> bySize = new TreeMap<>();
        for (SweepSummary.RunRow row : rows) {
            if (row.batchSize() != null) {
                bySize.computeIfAbsent(row.batchSize(), k -> new ArrayList<>()).add(row);
            }
        }
        List<SweepSummary.BatchSizeRow> sizes = new ArrayList<>();
        bySize.forEach((b, sizeRuns) -> sizes.add(batchSizeRow(b, sizeRuns, best.get(b))));

        List<ScalingFit.Point> points = CriticalBatchSizeInterval.points(best);
        Optional<ScalingFit.Result> result = ScalingFit.fit(points);
        SweepSummary.Fit fit = result.map(r -> new SweepSummary.Fit(r.sMin(), r.eMin(), r.bCrit(), r.points()))
                .orElse(null);
        SweepSummary.CriticalBatchSize bCrit = result.map(r -> CriticalBatchSizeInterval.estimate(cells, r))
                .orElse(null);
        Double noiseScale = mean(sizes, SweepSummary.BatchSizeRow::noiseScale);
        Double noiseAtTarget = Quantiles.median(best.values().stream()
                .flatMap(c -> c.noiseAtTarget().stream()).toList());
        Double ratio = bCrit != null && noiseAtTarget != null && noiseAtTarget > 0
                ? bCrit.value() / noiseAtTarget : null;
        SweepSummary.LrScaling lrScaling = protocol == Protocol.TUNED ? LearningRateScaling.of(bestRates(best)) : null;
        String recommendation = Recommendation.text(new Recommendation.Facts(protocol, target.loss(), sizes,
                points.size(), fit, bCrit, noiseAtTarget, noiseScale));
        String id = sweep == null ? null : sweep.sweepId();
        return new SweepSummary(id, sweep == null ? null : sweep.name(), sweep == null ? null : sweep.createdAt(),
                sweep == null ? null : sweep.runCount(), complete, protocol.wire(), target, rows, sizes,
                cells.stream().map(LearningRateCell::toSummary).toList(), fit, bCrit, noiseScale, noiseAtTarget, ratio,
                lrScaling, EarlyStops.of(rows), recommendation);
    }

    private static Map<Integer, Double> bestRates(Map<Integer, LearningRateCell> best) {
        Map<Integer, Double> rates = new LinkedHashMap<>();
        best.forEach((b, cell) -> rates.put(b, cell.learningRate()));
        return rates;
    }

    static SweepSummary.RunRow row(RunRecord run) {
        RunMetrics m = run.metrics();
        String state = run.state() == null ? null : run.state().wire();
        String outcome = run.outcome() == null ? null : run.outcome().wire();
        if (m == null) {
            return new SweepSummary.RunRow(run.runId(), run.batchSize(), run.seed(), run.learningRate(), state,
                    outcome, run.statusAttempt() < 0 ? null : run.statusAttempt(), 0, run.budgetIterations(), 0, 0,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null);
        }
        RunMetrics.TargetHit hit = m.targetHit();
        double gap = m.valLoss() - m.evalTrainLoss();
        return new SweepSummary.RunRow(run.runId(), run.batchSize(), run.seed(), run.learningRate(), state, outcome,
                m.attempt(), m.iteration(), run.budgetIterations(), m.epoch(), m.samplesSeen(),
                m.elapsedMs() / 1000.0, num(m.loss()), num(m.lossEma()),
                num(extreme(m.iterations(), RunMetrics.IT_LOSS_EMA, false)), num(m.valLoss()),
                num(extreme(m.validations(), RunMetrics.VAL_LOSS, false)), num(m.valAccuracy()),
                num(extreme(m.validations(), RunMetrics.VAL_ACCURACY, true)), num(m.noiseScale()),
                num(m.gradVariance()), num(m.samplesPerSecond()),
                hit == null ? null : hit.stepsToTarget(), hit == null ? null : hit.samplesToTarget(),
                hit == null ? null : hit.elapsedMs() / 1000.0, hit == null ? null : num(m.noiseScaleAt(hit.step())),
                num(m.lossVolatility()), num(gap));
    }

    /**
     * @param best the batch size's best learning rate, null when no run of it reached the target
     */
    private static SweepSummary.BatchSizeRow batchSizeRow(int batchSize, List<SweepSummary.RunRow> runs,
                                                          LearningRateCell best) {
        List<SweepSummary.RunRow> atBest = best == null ? List.of() : runs.stream()
                .filter(r -> r.stepsToTarget() != null && r.learningRate() != null
                        && LearningRateCell.roundedRate(r.learningRate()) == best.learningRate())
                .toList();
        int finished = (int) runs.stream()
                .filter(r -> r.state() != null && RunState.valueOf(r.state()).terminal()).count();
        Double steps = best == null ? null : num(best.meanSteps());
        return new SweepSummary.BatchSizeRow(batchSize, runs.size(), finished, atBest.size(),
                best == null ? null : best.learningRate(),
                mean(runs, SweepSummary.RunRow::emaLoss), mean(runs, SweepSummary.RunRow::bestEmaLoss),
                mean(runs, SweepSummary.RunRow::valLoss), mean(runs, SweepSummary.RunRow::bestValLoss),
                mean(runs, SweepSummary.RunRow::valAccuracy), mean(runs, SweepSummary.RunRow::bestValAccuracy),
                steps, steps == null ? null : steps * batchSize,
                mean(atBest, SweepSummary.RunRow::secondsToTarget), mean(runs, SweepSummary.RunRow::seconds),
                mean(runs, SweepSummary.RunRow::noiseScale),
                best == null ? null : Quantiles.median(best.noiseAtTarget()),
                mean(runs, SweepSummary.RunRow::lossVolatility), mean(runs, SweepSummary.RunRow::generalizationGap));
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

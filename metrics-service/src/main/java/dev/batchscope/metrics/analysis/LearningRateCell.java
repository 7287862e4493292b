package dev.batchscope.metrics.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs (seeds) of one batch size at one learning rate: a cell of the study's grid.
 *
 * @param runs               how many runs the cell has
 * @param steps              steps to the target of each seed that reached it
 * @param noiseAtTarget      B_simple at the target of each seed that reached it and measured noise
 */
record LearningRateCell(int batchSize, double learningRate, int runs, List<Double> steps,
                        List<Double> noiseAtTarget) {

    /**
     * Which cell is a batch size's best learning rate: the one that reached the target in more seeds (a learning rate
     * that some seeds fail with, by diverging or stalling, is not the better one for being fast in the others), then
     * the fewest mean steps to it, then the smaller learning rate (so ties resolve the same way every time).
     */
    static final Comparator<LearningRateCell> BETTER = Comparator
            .comparingInt((LearningRateCell c) -> -c.reached())
            .thenComparingDouble(c -> c.reached() == 0 ? Double.POSITIVE_INFINITY : c.meanSteps())
            .thenComparingDouble(LearningRateCell::learningRate);

    int reached() {
        return steps.size();
    }

    /** Mean steps to the target over the seeds that reached it; NaN when none did. */
    double meanSteps() {
        return steps.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * Groups runs by batch size and learning rate, the latter to four significant digits (as the run's metric labels
     * show it): seeds of one candidate whose rates differ only by rounding belong together.
     */
    static List<LearningRateCell> group(List<SweepSummary.RunRow> runs) {
        Map<Integer, Map<Double, List<SweepSummary.RunRow>>> grouped = new TreeMap<>();
        for (SweepSummary.RunRow run : runs) {
            if (run.batchSize() == null || run.learningRate() == null) {
                continue;
            }
            grouped.computeIfAbsent(run.batchSize(), k -> new TreeMap<>())
                    .computeIfAbsent(roundedRate(run.learningRate()), k -> new ArrayList<>()).add(run);
        }
        List<LearningRateCell> cells = new ArrayList<>();
        grouped.forEach((batchSize, byRate) -> byRate.forEach((rate, seeds) -> {
            List<Double> steps = new ArrayList<>();
            List<Double> noise = new ArrayList<>();
            for (SweepSummary.RunRow seed : seeds) {
                if (seed.stepsToTarget() != null) {
                    steps.add(seed.stepsToTarget());
                    if (seed.noiseScaleAtTarget() != null) {
                        noise.add(seed.noiseScaleAtTarget());
                    }
                }
            }
            cells.add(new LearningRateCell(batchSize, rate, seeds.size(), List.copyOf(steps), List.copyOf(noise)));
        }));
        return cells;
    }

    /** Each batch size's best cell among those where some seed reached the target, by ascending batch size. */
    static Map<Integer, LearningRateCell> bestPerBatchSize(List<LearningRateCell> cells) {
        Map<Integer, LearningRateCell> best = new TreeMap<>();
        for (LearningRateCell cell : cells) {
            if (cell.reached() == 0) {
                continue;
            }
            best.merge(cell.batchSize(), cell, (a, b) -> BETTER.compare(a, b) <= 0 ? a : b);
        }
        return new LinkedHashMap<>(best);
    }

    static double roundedRate(double learningRate) {
        return new BigDecimal(learningRate).round(new MathContext(4)).doubleValue();
    }

    SweepSummary.GridCell toSummary() {
        return new SweepSummary.GridCell(batchSize, learningRate, runs, reached(), SweepAnalysis.num(meanSteps()));
    }
}

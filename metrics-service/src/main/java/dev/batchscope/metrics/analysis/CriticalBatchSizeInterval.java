package dev.batchscope.metrics.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A 95 % interval for B_crit by the bootstrap, deterministic (a fixed seed) so that a summary is the same on every
 * request and replica.
 *
 * <ul>
 *   <li>{@value #SEEDS}: when some batch size's best learning rate reached the target in two or more seeds. Each
 *   resample draws, within every (batch size, learning rate) cell, as many seeds as reached the target, with
 *   replacement, re-selects each batch size's best learning rate from the resampled means and fits again: the
 *   interval carries both the seed noise and the uncertainty of which learning rate is best.</li>
 *   <li>{@value #RESIDUALS}: with one seed per cell there is nothing to resample within a cell. The fit's relative
 *   residuals r_i = S_i / S_fit(B_i) - 1 are drawn with replacement onto the fitted curve, S*_i = S_fit(B_i)(1 + r*),
 *   and fitted again. It needs three batch sizes: two are fitted exactly, and zero residuals would claim a certainty
 *   the data do not have.</li>
 * </ul>
 * The interval is the 2.5th and 97.5th percentiles of the resampled B_crit, over the resamples that gave a fit.
 */
final class CriticalBatchSizeInterval {
    static final String SEEDS = "bootstrap-seeds";
    static final String RESIDUALS = "bootstrap-residuals";
    static final String FIT_ONLY = "fit";
    static final int RESAMPLES = 1000;
    private static final long RANDOM_SEED = 20_181_214L;
    /**
     * Summaries are recomputed every analysis interval and on every request, while a sweep's cells change only when
     * a run reaches the target: the last results are kept, keyed by the cells (records, compared by value).
     */
    private static final int REMEMBERED = 64;
    private static final Map<List<LearningRateCell>, SweepSummary.CriticalBatchSize> RECENT =
            new LinkedHashMap<>(REMEMBERED, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        Map.Entry<List<LearningRateCell>, SweepSummary.CriticalBatchSize> eldest) {
                    return size() > REMEMBERED;
                }
            };

    private CriticalBatchSizeInterval() {
    }

    /** The interval for the cells' fit; computed once per distinct set of cells (1000 refits each). */
    static SweepSummary.CriticalBatchSize estimate(List<LearningRateCell> cells, ScalingFit.Result fit) {
        List<LearningRateCell> key = List.copyOf(cells);
        synchronized (RECENT) {
            SweepSummary.CriticalBatchSize known = RECENT.get(key);
            if (known != null) {
                return known;
            }
        }
        SweepSummary.CriticalBatchSize computed = compute(key, fit);
        synchronized (RECENT) {
            RECENT.put(key, computed);
        }
        return computed;
    }

    private static SweepSummary.CriticalBatchSize compute(List<LearningRateCell> cells, ScalingFit.Result fit) {
        Map<Integer, LearningRateCell> best = LearningRateCell.bestPerBatchSize(cells);
        boolean severalSeeds = best.values().stream().anyMatch(c -> c.reached() >= 2);
        double[] resampled;
        String method;
        if (severalSeeds) {
            resampled = resampleSeeds(cells);
            method = SEEDS;
        } else if (fit.points() >= 3) {
            resampled = resampleResiduals(points(best), fit);
            method = RESIDUALS;
        } else {
            return new SweepSummary.CriticalBatchSize(fit.bCrit(), null, null, FIT_ONLY);
        }
        if (resampled.length == 0) {
            return new SweepSummary.CriticalBatchSize(fit.bCrit(), null, null, FIT_ONLY);
        }
        double[] sorted = Quantiles.sortedCopy(resampled);
        return new SweepSummary.CriticalBatchSize(fit.bCrit(), Quantiles.percentile(sorted, 0.025),
                Quantiles.percentile(sorted, 0.975), method);
    }

    /** The fit's input: each batch size's steps at its best learning rate. */
    static List<ScalingFit.Point> points(Map<Integer, LearningRateCell> best) {
        List<ScalingFit.Point> points = new ArrayList<>();
        best.forEach((batchSize, cell) -> points.add(new ScalingFit.Point(batchSize, cell.meanSteps())));
        return points;
    }

    /**
     * Resampling leaves every cell's count of seeds that reached the target as it is, so only the cells of a batch size
     * with its highest count can come out best ({@link LearningRateCell#BETTER}); among them the fewest resampled
     * mean steps wins (which cell wins a tie does not matter: the fit sees only the steps). Only those cells are
     * resampled.
     */
    private static double[] resampleSeeds(List<LearningRateCell> cells) {
        List<List<double[]>> contenders = contendersPerBatchSize(cells);
        List<Integer> batchSizes = new ArrayList<>(LearningRateCell.bestPerBatchSize(cells).keySet());
        SplittableRandom random = new SplittableRandom(RANDOM_SEED);
        double[] bCrits = new double[RESAMPLES];
        int n = 0;
        List<ScalingFit.Point> points = new ArrayList<>(batchSizes.size());
        for (int r = 0; r < RESAMPLES; r++) {
            points.clear();
            for (int i = 0; i < batchSizes.size(); i++) {
                double fewest = Double.POSITIVE_INFINITY;
                for (double[] steps : contenders.get(i)) {
                    fewest = Math.min(fewest, resampledMean(steps, random));
                }
                points.add(new ScalingFit.Point(batchSizes.get(i), fewest));
            }
            Optional<ScalingFit.Result> refit = ScalingFit.fit(points);
            if (refit.isPresent()) {
                bCrits[n++] = refit.get().bCrit();
            }
        }
        return Arrays.copyOf(bCrits, n);
    }

    /** Per batch size (ascending, those with a best), the steps of its cells with the most seeds that reached. */
    private static List<List<double[]>> contendersPerBatchSize(List<LearningRateCell> cells) {
        List<List<double[]>> contenders = new ArrayList<>();
        LearningRateCell.bestPerBatchSize(cells).forEach((batchSize, best) -> {
            List<double[]> steps = new ArrayList<>();
            for (LearningRateCell cell : cells) {
                if (cell.batchSize() == batchSize && cell.reached() == best.reached()) {
                    steps.add(cell.steps().stream().mapToDouble(Double::doubleValue).toArray());
                }
            }
            contenders.add(steps);
        });
        return contenders;
    }

    /** The mean of as many values as given, drawn with replacement. */
    private static double resampledMean(double[] values, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[random.nextInt(values.length)];
        }
        return sum / values.length;
    }

    private static double[] resampleResiduals(List<ScalingFit.Point> points, ScalingFit.Result fit) {
        List<Double> residuals = new ArrayList<>(points.size());
        for (ScalingFit.Point p : points) {
            residuals.add(p.steps() / fit.steps(p.batchSize()) - 1);
        }
        SplittableRandom random = new SplittableRandom(RANDOM_SEED);
        double[] bCrits = new double[RESAMPLES];
        int n = 0;
        for (int r = 0; r < RESAMPLES; r++) {
            List<Double> drawn = draw(residuals, random);
            List<ScalingFit.Point> shifted = new ArrayList<>(points.size());
            for (int i = 0; i < points.size(); i++) {
                double b = points.get(i).batchSize();
                shifted.add(new ScalingFit.Point(b, fit.steps(b) * (1 + drawn.get(i))));
            }
            Optional<ScalingFit.Result> refit = ScalingFit.fit(shifted);
            if (refit.isPresent()) {
                bCrits[n++] = refit.get().bCrit();
            }
        }
        return Arrays.copyOf(bCrits, n);
    }

    /** As many values as given, drawn with replacement. */
    private static List<Double> draw(List<Double> values, SplittableRandom random) {
        List<Double> drawn = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            drawn.add(values.get(random.nextInt(values.size())));
        }
        return drawn;
    }
}

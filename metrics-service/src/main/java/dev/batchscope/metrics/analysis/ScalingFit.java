package dev.batchscope.metrics.analysis;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The steps/samples trade-off of McCandlish et al. (2018): to reach a given loss at its best learning rate, a batch
 * size B needs S = S_min (1 + B_crit / B) steps (and E = S B = E_min (1 + B / B_crit) examples), with
 * B_crit = E_min / S_min.
 *
 * <p>The law is linear in (S_min, E_min): S = S_min + E_min / B. The fit minimises the squared relative residuals
 * (S_min + E_min / B) / S - 1 over the points, a 2x2 linear least-squares problem with a closed form. Only the steps
 * enter it: the samples E = B S are the same measurement again, so fitting them as well would only weigh the points
 * differently. Relative residuals make a sweep from B = 16 to B = 4096 count every batch size alike instead of
 * letting the largest step counts dominate.
 */
public final class ScalingFit {
    private ScalingFit() {
    }

    /**
     * @param points one per batch size: its steps to the target (at its best learning rate)
     * @return empty with fewer than two distinct batch sizes, or when the points do not describe a trade-off
     *         (a non-positive S_min or E_min)
     */
    public static Optional<Result> fit(List<Point> points) {
        Set<Double> distinct = new HashSet<>();
        double saa = 0;
        double sab = 0;
        double sbb = 0;
        double sa = 0;
        double sb = 0;
        for (Point p : points) {
            if (!(p.batchSize() > 0 && p.steps() > 0)) {
                continue;
            }
            distinct.add(p.batchSize());
            // residual (S_min a + E_min b) - 1 with a = 1/S, b = 1/(B S)
            double a = 1 / p.steps();
            double b = 1 / (p.batchSize() * p.steps());
            saa += a * a;
            sab += a * b;
            sbb += b * b;
            sa += a;
            sb += b;
        }
        if (distinct.size() < 2) {
            return Optional.empty();
        }
        double det = saa * sbb - sab * sab;
        if (!(Math.abs(det) > 1e-300) || !Double.isFinite(det)) {
            return Optional.empty();
        }
        double sMin = (sa * sbb - sab * sb) / det;
        double eMin = (saa * sb - sab * sa) / det;
        if (!(sMin > 0 && eMin > 0) || !Double.isFinite(sMin) || !Double.isFinite(eMin)) {
            return Optional.empty();
        }
        return Optional.of(new Result(sMin, eMin, eMin / sMin, distinct.size()));
    }

    /** One batch size's steps to reach the target. */
    public record Point(double batchSize, double steps) {
    }

    /**
     * @param sMin   fewest steps, with an infinitely large batch
     * @param eMin   fewest examples, with a batch of one
     * @param bCrit  the critical batch size E_min / S_min: at B = B_crit a run needs 2 S_min steps and 2 E_min samples
     * @param points batch sizes that went into the fit
     */
    public record Result(double sMin, double eMin, double bCrit, int points) {
        public double steps(double batchSize) {
            return sMin * (1 + bCrit / batchSize);
        }

        public double samples(double batchSize) {
            return eMin * (1 + batchSize / bCrit);
        }
    }
}

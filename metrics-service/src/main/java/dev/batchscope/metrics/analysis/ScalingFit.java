package dev.batchscope.metrics.analysis;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The steps/samples trade-off of McCandlish et al. (2018): to reach a given loss, a batch size B needs
 * S = S_min (1 + B_crit / B) steps and E = E_min (1 + B / B_crit) examples, with B_crit = E_min / S_min.
 *
 * <p>With B_crit = E_min / S_min both laws are linear in (S_min, E_min): S = S_min + E_min / B and
 * E = E_min + S_min B. The fit minimises the squared relative residuals of both over all points, a 2x2 linear
 * least-squares problem with a closed form. Relative residuals make a sweep from B = 16 to B = 4096 count every
 * batch size alike instead of letting the largest step or sample counts dominate.
 */
public final class ScalingFit {
    private ScalingFit() {
    }

    /**
     * @param points one per batch size: its mean steps and samples to the target
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
            if (!(p.batchSize() > 0 && p.steps() > 0 && p.samples() > 0)) {
                continue;
            }
            distinct.add(p.batchSize());
            // S row: (S_min + E_min / B) / S - 1
            double a1 = 1 / p.steps();
            double b1 = 1 / (p.batchSize() * p.steps());
            // E row: (E_min + S_min B) / E - 1
            double a2 = p.batchSize() / p.samples();
            double b2 = 1 / p.samples();
            saa += a1 * a1 + a2 * a2;
            sab += a1 * b1 + a2 * b2;
            sbb += b1 * b1 + b2 * b2;
            sa += a1 + a2;
            sb += b1 + b2;
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

    /** One batch size's mean steps and samples to reach the target. */
    public record Point(double batchSize, double steps, double samples) {
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

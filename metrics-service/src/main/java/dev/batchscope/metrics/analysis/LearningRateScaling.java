package dev.batchscope.metrics.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the best learning rate grows with batch size: the least-squares slope k of log(lr*) = a + k log(B) over the
 * batch sizes, named after the rule it is closest to. SGD's linear scaling rule predicts k = 1 below B_crit, Adam's
 * square-root rule k = 0.5, and above B_crit the best learning rate stops growing (k near 0).
 */
final class LearningRateScaling {
    static final String LINEAR = "linear";
    static final String SQUARE_ROOT = "square root";
    static final String SATURATES = "saturates";

    private LearningRateScaling() {
    }

    /**
     * @param bestRates best learning rate per batch size, by ascending batch size
     * @return null with fewer than two batch sizes
     */
    static SweepSummary.LrScaling of(Map<Integer, Double> bestRates) {
        List<double[]> logs = new ArrayList<>();
        bestRates.forEach((b, lr) -> {
            if (b > 0 && lr != null && lr > 0) {
                logs.add(new double[] {Math.log(b), Math.log(lr)});
            }
        });
        if (logs.size() < 2) {
            return null;
        }
        double mx = logs.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = logs.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : logs) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        double k = sxy / sxx;
        return new SweepSummary.LrScaling(k, shape(k, logs));
    }

    /**
     * The nearest of the three rules (boundaries halfway: 0.25 and 0.75). A slope over the whole range can hide a
     * plateau at the top, so with three or more batch sizes a best rate that does not grow from the second-largest to
     * the largest size counts as saturating whatever the slope.
     */
    private static String shape(double k, List<double[]> logs) {
        int n = logs.size();
        if (n >= 3 && logs.get(n - 1)[1] <= logs.get(n - 2)[1]) {
            return SATURATES;
        }
        if (k >= 0.75) {
            return LINEAR;
        }
        return k >= 0.25 ? SQUARE_ROOT : SATURATES;
    }
}

package dev.batchscope.metrics.analysis;

import java.util.Arrays;
import java.util.Collection;

/** Medians and percentiles, with linear interpolation between order statistics. */
final class Quantiles {
    private Quantiles() {
    }

    /** The median of the finite values; null when there is none. */
    static Double median(Collection<Double> values) {
        double[] finite = values.stream().filter(v -> v != null && Double.isFinite(v))
                .mapToDouble(Double::doubleValue).sorted().toArray();
        return finite.length == 0 ? null : percentile(finite, 0.5);
    }

    /**
     * @param sorted   ascending, at least one value
     * @param fraction 0..1
     */
    static double percentile(double[] sorted, double fraction) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double position = fraction * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    static double[] sortedCopy(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}

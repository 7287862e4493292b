package dev.batchscope.metrics.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one column of a series as (x, y) pairs, at most {@code maxPoints} of them. When there are more, each of
 * {@code maxPoints / 2} equal index ranges contributes its lowest and its highest point, in order, which keeps the
 * curve's shape (spikes included) at any resolution. Points whose value is not a number are left out.
 */
public final class SeriesReader {
    private SeriesReader() {
    }

    public static double[][] read(ShapeSeries series, int column, XAxis x, int maxPoints) {
        List<Integer> finite = new ArrayList<>(series.size());
        for (int i = 0; i < series.size(); i++) {
            if (Double.isFinite(series.value(i, column))) {
                finite.add(i);
            }
        }
        int n = finite.size();
        if (n <= maxPoints) {
            double[][] out = new double[n][];
            for (int k = 0; k < n; k++) {
                int i = finite.get(k);
                out[k] = new double[] {x.of(series, i), series.value(i, column)};
            }
            return out;
        }
        int buckets = Math.max(1, maxPoints / 2);
        List<double[]> out = new ArrayList<>(buckets * 2);
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            if (from >= to) {
                continue;
            }
            int lo = from;
            int hi = from;
            for (int k = from + 1; k < to; k++) {
                double v = series.value(finite.get(k), column);
                if (v < series.value(finite.get(lo), column)) {
                    lo = k;
                }
                if (v >= series.value(finite.get(hi), column)) {
                    hi = k;
                }
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            out.add(new double[] {x.of(series, finite.get(first)), series.value(finite.get(first), column)});
            if (second != first) {
                out.add(new double[] {x.of(series, finite.get(second)), series.value(finite.get(second), column)});
            }
        }
        return out.toArray(new double[0][]);
    }
}

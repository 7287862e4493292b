package dev.batchscope.metrics.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The mean curve of several runs of one batch size and learning rate (seeds): their points pooled into {@code bins}
 * equal x ranges, each bin the mean x and mean y of the points in it. Seeds of one batch size step in lockstep, so
 * at full resolution a bin holds the same iterations of every seed; where a run has stopped, the others carry on alone.
 * One run is returned as it is.
 */
final class SeedMean {
    private SeedMean() {
    }

    /** @param runs each run's [x, y] points in x order */
    static double[][] of(List<double[][]> runs, int bins) {
        List<double[][]> nonEmpty = runs.stream().filter(r -> r.length > 0).toList();
        if (nonEmpty.size() <= 1) {
            return nonEmpty.isEmpty() ? new double[0][] : nonEmpty.get(0);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[][] run : nonEmpty) {
            min = Math.min(min, run[0][0]);
            max = Math.max(max, run[run.length - 1][0]);
        }
        double[] sumX = new double[bins];
        double[] sumY = new double[bins];
        int[] count = new int[bins];
        double width = max > min ? (max - min) / bins : 1;
        for (double[][] run : nonEmpty) {
            for (double[] p : run) {
                int bin = Math.min(bins - 1, (int) ((p[0] - min) / width));
                sumX[bin] += p[0];
                sumY[bin] += p[1];
                count[bin]++;
            }
        }
        List<double[]> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                out.add(new double[] {sumX[b] / count[b], sumY[b] / count[b]});
            }
        }
        return out.toArray(new double[0][]);
    }
}

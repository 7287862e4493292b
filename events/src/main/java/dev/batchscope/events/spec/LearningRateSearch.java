package dev.batchscope.events.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A log-spaced set of candidate learning rates, both ends included.
 *
 * @param min   the smallest candidate, above 0
 * @param max   the largest candidate, above min
 * @param count how many candidates, from {@value #MIN_COUNT} to {@value #MAX_COUNT}
 */
public record LearningRateSearch(Double min, Double max, Integer count) {
    public static final int MIN_COUNT = 2;
    public static final int MAX_COUNT = 16;

    /** min, min x r, min x r^2, ..., max with r = (max/min)^(1/(count-1)); the ends are exact. */
    public List<Double> values() {
        List<Double> values = new ArrayList<>(count);
        double logMin = Math.log(min);
        double step = (Math.log(max) - logMin) / (count - 1);
        for (int i = 0; i < count; i++) {
            values.add(i == 0 ? min : i == count - 1 ? max : Math.exp(logMin + i * step));
        }
        return values;
    }
}

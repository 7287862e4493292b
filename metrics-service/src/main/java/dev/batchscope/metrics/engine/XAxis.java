package dev.batchscope.metrics.engine;

import java.util.Arrays;
import java.util.List;

/**
 * What a series is plotted against. Samples seen is the fair axis across batch sizes: a step of a large batch
 * does more work than a step of a small one.
 */
public enum XAxis {
    STEP("step"),
    SAMPLES("samples"),
    SECONDS("seconds");

    private final String wire;

    XAxis(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public double of(ShapeSeries series, int i) {
        return switch (this) {
            case STEP -> series.step(i);
            case SAMPLES -> series.samples(i);
            case SECONDS -> series.elapsedMs(i) / 1000.0;
        };
    }

    public static XAxis parse(String value) {
        for (XAxis x : values()) {
            if (x.wire.equals(value)) {
                return x;
            }
        }
        return null;
    }

    public static List<String> allowed() {
        return Arrays.stream(values()).map(XAxis::wire).toList();
    }
}

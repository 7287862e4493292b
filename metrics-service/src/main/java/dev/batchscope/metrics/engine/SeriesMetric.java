package dev.batchscope.metrics.engine;

import java.util.Arrays;
import java.util.List;

/** The metrics a series can be read for (the {@code metric} query parameter). */
public enum SeriesMetric {
    TRAIN_LOSS("train_loss", Kind.ITERATIONS, RunMetrics.IT_LOSS),
    TRAIN_LOSS_EMA("train_loss_ema", Kind.ITERATIONS, RunMetrics.IT_LOSS_EMA),
    VAL_LOSS("val_loss", Kind.VALIDATIONS, RunMetrics.VAL_LOSS),
    VAL_ACCURACY("val_accuracy", Kind.VALIDATIONS, RunMetrics.VAL_ACCURACY),
    GRADIENT_VARIANCE("gradient_variance", Kind.NOISE, RunMetrics.NOISE_GRAD_VARIANCE),
    NOISE_SCALE("noise_scale", Kind.NOISE, RunMetrics.NOISE_SCALE),
    SAMPLES_PER_SECOND("samples_per_second", Kind.ITERATIONS, RunMetrics.IT_SAMPLES_PER_SECOND);

    private final String wire;
    private final Kind kind;
    private final int column;

    SeriesMetric(String wire, Kind kind, int column) {
        this.wire = wire;
        this.kind = kind;
        this.column = column;
    }

    public String wire() {
        return wire;
    }

    public int column() {
        return column;
    }

    public ShapeSeries seriesOf(RunMetrics metrics) {
        return switch (kind) {
            case ITERATIONS -> metrics.iterations();
            case NOISE -> metrics.noise();
            case VALIDATIONS -> metrics.validations();
        };
    }

    public static SeriesMetric parse(String value) {
        for (SeriesMetric m : values()) {
            if (m.wire.equals(value)) {
                return m;
            }
        }
        return null;
    }

    public static List<String> allowed() {
        return Arrays.stream(values()).map(SeriesMetric::wire).toList();
    }

    private enum Kind { ITERATIONS, NOISE, VALIDATIONS }
}

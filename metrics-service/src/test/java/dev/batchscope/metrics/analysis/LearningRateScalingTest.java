package dev.batchscope.metrics.analysis;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LearningRateScalingTest {

    private static Map<Integer, Double> rates(IntToDoubleFunction rule, int... sizes) {
        Map<Integer, Double> rates = new LinkedHashMap<>();
        for (int b : sizes) {
            rates.put(b, rule.applyAsDouble(b));
        }
        return rates;
    }

    @Test
    void linearScaling() {
        SweepSummary.LrScaling s = LearningRateScaling.of(rates(b -> 0.001 * b, 16, 32, 64, 128));
        assertEquals(1.0, s.exponent(), 1e-12);
        assertEquals(LearningRateScaling.LINEAR, s.shape());
    }

    @Test
    void squareRootScaling() {
        SweepSummary.LrScaling s = LearningRateScaling.of(rates(b -> 0.01 * Math.sqrt(b), 16, 64, 256, 1024));
        assertEquals(0.5, s.exponent(), 1e-12);
        assertEquals(LearningRateScaling.SQUARE_ROOT, s.shape());
    }

    @Test
    void aBestRateThatStopsGrowingAtTheLargestSizesSaturates() {
        // linear up to 256, then flat: the slope over the whole range is still well above 0.25
        SweepSummary.LrScaling s = LearningRateScaling.of(rates(b -> 0.001 * Math.min(b, 256), 16, 64, 256, 1024));
        assertEquals(LearningRateScaling.SATURATES, s.shape());
        SweepSummary.LrScaling flat = LearningRateScaling.of(rates(b -> 0.1, 16, 64));
        assertEquals(0.0, flat.exponent(), 1e-12);
        assertEquals(LearningRateScaling.SATURATES, flat.shape());
    }

    @Test
    void needsTwoBatchSizes() {
        assertNull(LearningRateScaling.of(rates(b -> 0.1, 16)));
    }
}

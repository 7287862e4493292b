package dev.batchscope.metrics.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingFitTest {

    private static List<ScalingFit.Point> synthetic(double sMin, double bCrit, double noise, long seed) {
        Random random = new Random(seed);
        List<ScalingFit.Point> points = new ArrayList<>();
        for (int b : new int[] {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096}) {
            double steps = sMin * (1 + bCrit / b) * (1 + noise * (2 * random.nextDouble() - 1));
            points.add(new ScalingFit.Point(b, steps));
        }
        return points;
    }

    @Test
    void recoversKnownParametersFromExactPoints() {
        ScalingFit.Result fit = ScalingFit.fit(synthetic(1200, 300, 0, 1)).orElseThrow();
        assertEquals(1200, fit.sMin(), 1200 * 1e-9);
        assertEquals(360_000, fit.eMin(), 360_000 * 1e-9);
        assertEquals(300, fit.bCrit(), 300 * 1e-9);
        assertEquals(10, fit.points());
    }

    @Test
    void recoversKnownParametersWithinTwoPercentFromNoisyPoints() {
        // B_crit inside the swept range (8..4096); at its very edge the points pin S_min or E_min down less well
        double[][] cases = {{1200, 300}, {50, 1500}, {20_000, 12}, {800, 1024}};
        for (double[] c : cases) {
            for (long seed = 1; seed <= 20; seed++) {
                ScalingFit.Result fit = ScalingFit.fit(synthetic(c[0], c[1], 0.01, seed)).orElseThrow();
                assertEquals(1, fit.sMin() / c[0], 0.02, "S_min for " + c[0] + "/" + c[1] + " seed " + seed);
                assertEquals(1, fit.eMin() / (c[0] * c[1]), 0.02, "E_min for " + c[0] + "/" + c[1]);
                assertEquals(1, fit.bCrit() / c[1], 0.02, "B_crit for " + c[0] + "/" + c[1]);
            }
        }
    }

    @Test
    void needsTwoBatchSizes() {
        assertTrue(ScalingFit.fit(List.of(new ScalingFit.Point(32, 100))).isEmpty());
        assertTrue(ScalingFit.fit(List.of(new ScalingFit.Point(32, 100), new ScalingFit.Point(32, 110))).isEmpty());
    }

    @Test
    void refusesPointsWithoutATradeOff() {
        // more steps for larger batches: no positive S_min and E_min describe that
        assertTrue(ScalingFit.fit(List.of(new ScalingFit.Point(16, 100), new ScalingFit.Point(64, 400),
                new ScalingFit.Point(256, 1600))).isEmpty());
    }
}

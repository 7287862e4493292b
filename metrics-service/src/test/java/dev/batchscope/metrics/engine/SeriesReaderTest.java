package dev.batchscope.metrics.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesReaderTest {

    @Test
    void readsEveryPointWhenFewEnough() {
        ShapeSeries s = new ShapeSeries(64, 1, 0);
        for (int i = 1; i <= 10; i++) {
            s.append(i, i * 64L, i * 250L, 1.0 / i);
        }
        double[][] bySamples = SeriesReader.read(s, 0, XAxis.SAMPLES, 100);
        assertEquals(10, bySamples.length);
        assertEquals(640.0, bySamples[9][0]);
        assertEquals(0.1, bySamples[9][1]);
        double[][] bySeconds = SeriesReader.read(s, 0, XAxis.SECONDS, 100);
        assertEquals(2.5, bySeconds[9][0]);
    }

    @Test
    void fewerPointsKeepTheExtremes() {
        ShapeSeries s = new ShapeSeries(4096, 1, 0);
        for (int i = 1; i <= 1000; i++) {
            s.append(i, i, i, i == 500 ? 9.0 : (i == 700 ? -9.0 : Math.sin(i)));
        }
        double[][] points = SeriesReader.read(s, 0, XAxis.STEP, 50);
        assertTrue(points.length <= 50);
        boolean spike = false;
        boolean dip = false;
        for (double[] p : points) {
            spike |= p[0] == 500 && p[1] == 9.0;
            dip |= p[0] == 700 && p[1] == -9.0;
        }
        assertTrue(spike && dip);
    }

    @Test
    void leavesOutValuesThatAreNotNumbers() {
        ShapeSeries s = new ShapeSeries(64, 2, 0);
        s.append(1, 1, 1, 0.5, Double.NaN);
        s.append(2, 2, 2, 0.4, 0.9);
        assertEquals(1, SeriesReader.read(s, 1, XAxis.STEP, 10).length);
    }
}

package dev.batchscope.metrics.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeSeriesTest {

    @Test
    void keepsEveryPointUpToCapacity() {
        ShapeSeries s = new ShapeSeries(16, 1, 0);
        for (int i = 1; i <= 16; i++) {
            s.append(i, i * 10L, i * 100L, i * 0.5);
        }
        assertEquals(16, s.size());
        for (int i = 0; i < 16; i++) {
            assertEquals(i + 1, s.step(i));
            assertEquals((i + 1) * 10L, s.samples(i));
            assertEquals((i + 1) * 100L, s.elapsedMs(i));
            assertEquals((i + 1) * 0.5, s.value(i, 0));
        }
    }

    @Test
    void downsamplingStaysBoundedAndKeepsSpikesAndDips() {
        ShapeSeries s = new ShapeSeries(64, 1, 0);
        int n = 100_000;
        for (int i = 1; i <= n; i++) {
            double v = Math.sin(i / 5000.0);
            if (i == 31_337) {
                v = 50;
            }
            if (i == 77_777) {
                v = -50;
            }
            s.append(i, i, i, v);
            assertTrue(s.size() <= 64 + 2, "size " + s.size() + " after " + i);
        }
        boolean spike = false;
        boolean dip = false;
        long previous = 0;
        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.step(i) > previous, "steps stay increasing");
            previous = s.step(i);
            spike |= s.step(i) == 31_337 && s.value(i, 0) == 50;
            dip |= s.step(i) == 77_777 && s.value(i, 0) == -50;
        }
        assertTrue(spike, "the spike survives downsampling");
        assertTrue(dip, "the dip survives downsampling");
        assertTrue(s.bucketRaw() > 1);
    }

    @Test
    void uniformResolutionAfterCompaction() {
        ShapeSeries s = new ShapeSeries(32, 1, 0);
        for (int i = 1; i <= 32 * 64; i++) {
            s.append(i, i, i, i % 7);
        }
        // points are spread over the whole run, not crowded at its end
        long firstHalf = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.step(i) <= 32 * 32) {
                firstHalf++;
            }
        }
        double share = (double) firstHalf / s.size();
        assertTrue(share > 0.35 && share < 0.65, "share of points in the first half: " + share);
    }

    @Test
    void truncationDropsPointsFromTheStepOn() {
        ShapeSeries s = new ShapeSeries(16, 2, 0);
        for (int i = 1; i <= 10; i++) {
            s.append(i, i, i, i, -i);
        }
        s.truncateFrom(6);
        assertEquals(5, s.size());
        assertEquals(5, s.step(4));
        s.append(6, 6, 6, 60, -60);
        assertEquals(60, s.value(5, 0));
        assertEquals(-60, s.value(5, 1));
    }
}

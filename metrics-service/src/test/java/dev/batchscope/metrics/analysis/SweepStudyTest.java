package dev.batchscope.metrics.analysis;

import dev.batchscope.events.spec.Protocol;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary of a study from its run rows: best learning rates, the one fit, B_simple at the target beside it. */
class SweepStudyTest {
    private static final SweepSummary.Target TARGET = new SweepSummary.Target(0.5, "train-loss-ema");

    private static double law(int b) {
        return 400 * (1 + 256.0 / b);
    }

    /** Two seeds per cell; the best rate doubles per batch size up to 256 and then stays. */
    private static List<SweepSummary.RunRow> tuned() {
        List<SweepSummary.RunRow> rows = new ArrayList<>();
        for (int b : new int[] {32, 64, 128, 256, 512}) {
            double best = 0.1 * Math.min(b, 256) / 32.0;
            for (double lr : new double[] {best / 2, best, best * 2}) {
                double factor = lr == best ? 1.0 : 1.4;
                for (long seed = 1; seed <= 2; seed++) {
                    // B_simple at the target: 200 for the best runs, 50 for the others (must not be counted)
                    rows.add(Rows.run(b, lr, seed, law(b) * factor, lr == best ? 170.0 + 20 * seed : 50.0));
                }
            }
        }
        return rows;
    }

    @Test
    void tunedStudyFitsOnceOnTheBestLearningRates() {
        SweepSummary s = SweepAnalysis.study(null, true, Protocol.TUNED, TARGET, tuned());
        assertEquals("tuned", s.protocol());
        assertEquals(256, s.fit().bCrit(), 1e-6);
        assertEquals(256, s.criticalBatchSize().value(), 1e-6);
        assertEquals(256, s.criticalBatchSize().low(), 1e-6);
        assertEquals(256, s.criticalBatchSize().high(), 1e-6);
        SweepSummary.BatchSizeRow b64 = s.batchSizes().get(1);
        assertEquals(64, b64.batchSize());
        assertEquals(0.2, b64.bestLearningRate(), 1e-12);
        assertEquals(law(64), b64.stepsToTarget(), 1e-9);
        assertEquals(law(64) * 64, b64.samplesToTarget(), 1e-6);
        assertEquals(2, b64.reachedTarget());
        assertEquals(200.0, b64.noiseScaleAtTarget(), 1e-12);
        assertEquals(200.0, s.noiseScaleAtTarget(), 1e-12);
        assertEquals(256 / 200.0, s.criticalToNoiseRatio(), 1e-9);
        assertEquals(15, s.grid().size());
        assertEquals(LearningRateScaling.SATURATES, s.lrScaling().shape());
        assertTrue(s.recommendation().contains("B_simple at the target is about 200"), s.recommendation());
        assertFalse(s.recommendation().contains("misspecified"), s.recommendation());
    }

    @Test
    void aFixedSweepMakesTheSameComparisonWithTheCaveat() {
        List<SweepSummary.RunRow> rows = new ArrayList<>();
        for (int b : new int[] {32, 128, 512}) {
            rows.add(Rows.run(b, 0.1, 1, law(b), 180.0));
            rows.add(Rows.run(b, 0.1, 2, law(b), 220.0));
        }
        SweepSummary s = SweepAnalysis.study(null, true, Protocol.FIXED, TARGET, rows);
        assertEquals("fixed", s.protocol());
        assertEquals(256, s.criticalBatchSize().value(), 1e-6);
        assertEquals(200.0, s.noiseScaleAtTarget(), 1e-12);
        assertNull(s.lrScaling(), "a fixed sweep's learning rates are its rule, not a finding");
        assertTrue(s.recommendation().contains("at one fixed learning rate the law is misspecified"),
                s.recommendation());
    }

    @Test
    void theGridShowsEveryCellWithItsReachedCount() {
        List<SweepSummary.RunRow> rows = List.of(Rows.run(32, 0.1, 1, 300.0, null), Rows.run(32, 0.1, 2, null, null));
        SweepSummary s = SweepAnalysis.study(null, true, Protocol.TUNED, TARGET, rows);
        assertEquals(List.of(new SweepSummary.GridCell(32, 0.1, 2, 1, 300.0)), s.grid());
        assertNull(s.fit());
    }
}

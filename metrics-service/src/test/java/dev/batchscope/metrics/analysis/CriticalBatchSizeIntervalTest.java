package dev.batchscope.metrics.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CriticalBatchSizeIntervalTest {
    private static final int[] SIZES = {16, 32, 64, 128, 256, 512, 1024, 2048};
    private static final double S_MIN = 400;
    private static final double B_CRIT = 256;

    private static double law(int b) {
        return S_MIN * (1 + B_CRIT / b);
    }

    /**
     * Per batch size three candidate learning rates; the middle one follows the law, the others need 30 % and 60 %
     * more steps. Each seed's steps carry relative noise of up to {@code noise}.
     */
    private static List<SweepSummary.RunRow> study(int seeds, double noise, long randomSeed) {
        Random random = new Random(randomSeed);
        List<SweepSummary.RunRow> rows = new ArrayList<>();
        for (int b : SIZES) {
            double[] rates = {0.05, 0.1, 0.2};
            double[] slower = {1.3, 1.0, 1.6};
            for (int i = 0; i < rates.length; i++) {
                for (int seed = 1; seed <= seeds; seed++) {
                    double steps = law(b) * slower[i] * (1 + noise * (2 * random.nextDouble() - 1));
                    rows.add(Rows.run(b, rates[i], seed, steps, null));
                }
            }
        }
        return rows;
    }

    private static SweepSummary.CriticalBatchSize estimate(List<SweepSummary.RunRow> rows) {
        List<LearningRateCell> cells = LearningRateCell.group(rows);
        ScalingFit.Result fit = ScalingFit.fit(CriticalBatchSizeInterval.points(
                LearningRateCell.bestPerBatchSize(cells))).orElseThrow();
        return CriticalBatchSizeInterval.estimate(cells, fit);
    }

    @Test
    void theFitOnExactLawDataAtTheBestLearningRatesRecoversBCrit() {
        SweepSummary.CriticalBatchSize b = estimate(study(3, 0, 1));
        assertEquals(B_CRIT, b.value(), B_CRIT * 1e-9);
    }

    @Test
    void theIntervalCollapsesForNoiselessData() {
        SweepSummary.CriticalBatchSize seeds = estimate(study(3, 0, 1));
        assertEquals(CriticalBatchSizeInterval.SEEDS, seeds.method());
        assertEquals(B_CRIT, seeds.low(), B_CRIT * 1e-9);
        assertEquals(B_CRIT, seeds.high(), B_CRIT * 1e-9);
        SweepSummary.CriticalBatchSize residuals = estimate(study(1, 0, 1));
        assertEquals(CriticalBatchSizeInterval.RESIDUALS, residuals.method());
        assertEquals(B_CRIT, residuals.low(), B_CRIT * 1e-9);
        assertEquals(B_CRIT, residuals.high(), B_CRIT * 1e-9);
    }

    @Test
    void theIntervalCoversTheTruthAndHasWidthWithNoisySeeds() {
        int covered = 0;
        for (long r = 1; r <= 20; r++) {
            SweepSummary.CriticalBatchSize b = estimate(study(4, 0.15, r));
            assertEquals(CriticalBatchSizeInterval.SEEDS, b.method());
            assertTrue(b.low() < b.value() && b.value() < b.high(), "the estimate lies inside: " + b);
            if (b.low() <= B_CRIT && B_CRIT <= b.high()) {
                covered++;
            }
        }
        // a 95 % interval: 20 independent studies, at most a few may miss
        assertTrue(covered >= 17, "covered the truth in " + covered + " of 20");
    }

    @Test
    void theResidualIntervalCoversTheTruthWithOneSeed() {
        SweepSummary.CriticalBatchSize b = estimate(study(1, 0.05, 7));
        assertEquals(CriticalBatchSizeInterval.RESIDUALS, b.method());
        assertTrue(b.low() <= B_CRIT && B_CRIT <= b.high(), b.toString());
        assertTrue(b.high() > b.low());
    }

    @Test
    void isDeterministic() {
        List<SweepSummary.RunRow> rows = study(3, 0.1, 3);
        assertEquals(estimate(rows), estimate(rows));
    }

    @Test
    void twoBatchSizesWithOneSeedGiveNoInterval() {
        List<SweepSummary.RunRow> rows = List.of(Rows.run(32, 0.1, 1, law(32), null),
                Rows.run(256, 0.1, 1, law(256), null));
        SweepSummary.CriticalBatchSize b = estimate(rows);
        assertEquals(CriticalBatchSizeInterval.FIT_ONLY, b.method());
        assertNull(b.low());
        assertEquals(B_CRIT, b.value(), 1e-6);
    }
}

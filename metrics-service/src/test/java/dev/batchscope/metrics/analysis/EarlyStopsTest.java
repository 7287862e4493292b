package dev.batchscope.metrics.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class EarlyStopsTest {

    @Test
    void countsTheBudgetLeftByRunsThatReachedTheTargetOrWerePruned() {
        SweepSummary.EarlyStopSavings saved = EarlyStops.of(List.of(
                Rows.ended(32, "reached-target", 300, 1000L),
                Rows.ended(64, "pruned", 450, 1000L),
                Rows.ended(64, "completed", 1000, 1000L),
                Rows.ended(128, "diverged", 20, 1000L),
                Rows.ended(128, "pruned", 10, null)));
        assertEquals(2, saved.runs());
        assertEquals(700 + 550, saved.steps());
        assertEquals(700 * 32 + 550 * 64, saved.samples());
        assertEquals(1250.0 / 4000, saved.fractionOfBudget(), 1e-12);
    }

    @Test
    void nothingKnownNothingSaved() {
        SweepSummary.EarlyStopSavings saved = EarlyStops.of(List.of(Rows.ended(32, "pruned", 300, null)));
        assertEquals(0, saved.runs());
        assertNull(saved.fractionOfBudget());
    }
}

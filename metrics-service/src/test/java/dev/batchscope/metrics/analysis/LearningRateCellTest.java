package dev.batchscope.metrics.analysis;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LearningRateCellTest {

    @Test
    void bestLearningRateIsTheFewestMeanStepsAmongThoseThatReachedInMostSeeds() {
        List<LearningRateCell> cells = LearningRateCell.group(List.of(
                Rows.run(64, 0.1, 1, 500.0, null), Rows.run(64, 0.1, 2, 520.0, null),
                Rows.run(64, 0.2, 1, 300.0, null), Rows.run(64, 0.2, 2, 340.0, null),
                // fastest in one seed, but diverged in the other: not the better learning rate
                Rows.run(64, 0.4, 1, 200.0, null), Rows.run(64, 0.4, 2, null, null),
                Rows.run(128, 0.4, 1, 250.0, null), Rows.run(128, 0.4, 2, 270.0, null)));
        Map<Integer, LearningRateCell> best = LearningRateCell.bestPerBatchSize(cells);
        assertEquals(0.2, best.get(64).learningRate());
        assertEquals(320.0, best.get(64).meanSteps(), 1e-12);
        assertEquals(2, best.get(64).reached());
        assertEquals(0.4, best.get(128).learningRate());
        assertEquals(List.of(64, 128), List.copyOf(best.keySet()));
    }

    @Test
    void aBatchSizeWithOneLearningRateHasThatOneAsBest() {
        Map<Integer, LearningRateCell> best = LearningRateCell.bestPerBatchSize(LearningRateCell.group(List.of(
                Rows.run(32, 0.05, 1, 800.0, null), Rows.run(32, 0.05, 2, 900.0, null))));
        assertEquals(0.05, best.get(32).learningRate());
        assertEquals(850.0, best.get(32).meanSteps(), 1e-12);
    }

    @Test
    void aBatchSizeWhereNoRunReachedHasNoBest() {
        List<LearningRateCell> cells = LearningRateCell.group(List.of(Rows.run(32, 0.05, 1, null, null)));
        assertEquals(1, cells.size());
        assertEquals(0, cells.get(0).reached());
        assertFalse(LearningRateCell.bestPerBatchSize(cells).containsKey(32));
    }

    @Test
    void seedsOfOneCandidateThatDifferOnlyByRoundingShareACell() {
        List<LearningRateCell> cells = LearningRateCell.group(List.of(
                Rows.run(32, 0.1, 1, 100.0, null), Rows.run(32, 0.1 + 1e-12, 2, 110.0, null)));
        assertEquals(1, cells.size());
        assertEquals(2, cells.get(0).runs());
    }
}

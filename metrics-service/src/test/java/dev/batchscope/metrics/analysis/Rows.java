package dev.batchscope.metrics.analysis;

/** Run rows with only what the study reads, for tests of the analysis. */
final class Rows {
    private Rows() {
    }

    /**
     * @param steps         lag-corrected steps to the target; null when the run did not reach it
     * @param noiseAtTarget B_simple at the crossing; null when not measured
     */
    static SweepSummary.RunRow run(int batchSize, double learningRate, long seed, Double steps, Double noiseAtTarget) {
        return new SweepSummary.RunRow("r-" + batchSize + "-" + learningRate + "-" + seed, batchSize, seed,
                learningRate, "SUCCEEDED", steps == null ? "completed" : "reached-target", 1,
                steps == null ? 1000 : (long) Math.ceil(steps) + 9, 1000L, 1, 0, null, null, null, null, null, null,
                null, null, null, null, null, steps, steps == null ? null : steps * batchSize, null, noiseAtTarget,
                null, null);
    }

    /** A run that ended with {@code outcome} after {@code iterations} of a {@code budget}-step budget. */
    static SweepSummary.RunRow ended(int batchSize, String outcome, long iterations, Long budget) {
        return new SweepSummary.RunRow("r-" + batchSize + "-" + iterations, batchSize, 1L, 0.1, "SUCCEEDED", outcome,
                1, iterations, budget, 1, 0, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }
}

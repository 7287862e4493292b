package dev.batchscope.metrics.api;

/**
 * One row of {@code GET /api/v1/study}: one (batch size, learning rate) cell of the study's grid (the summary's
 * {@code grid}, docs/design.md section 7), for a heatmap of steps to the target over batch size and learning rate and
 * for the best learning rate against batch size.
 *
 * @param series       the legend: {@code best} for the batch size's best learning rate, {@code tried} for the other
 *                     cells, prefixed with the sweep's name when several sweeps were asked for
 * @param row          the heatmap's row: {@code B=16}, prefixed with the sweep's name when several sweeps were asked
 *                     for
 * @param batchSize    examples per step
 * @param learningRate the cell's peak learning rate (four significant digits)
 * @param runs         the cell's runs (seeds)
 * @param reached      how many of them reached the target
 * @param meanSteps    mean lag-corrected steps to the target over those that reached it; null when none did
 * @param best         whether this is the batch size's best learning rate
 */
public record StudyRow(String sweep, String sweepName, String series, String row,
                       int batchSize, double learningRate, int runs,
                       int reached, Double meanSteps, boolean best) {
    public static final String BEST = "best";
    public static final String TRIED = "tried";
}

package dev.batchscope.metrics.analysis;

import java.time.Instant;
import java.util.List;

/**
 * What a sweep has shown so far: a row per run (enough for a live watch table), a row per batch size (at its best
 * learning rate), the grid of (batch size, learning rate) cells, the scaling fit with an interval for B_crit, the noise
 * scale at the target beside it, how the best learning rate scales, what early stops saved and a one-line
 * recommendation. Numbers that are not known yet are null. docs/design.md section 7 defines every field.
 *
 * @param complete                whether this replica holds every run of the sweep (with several replicas, each
 *                                holds the runs of its partitions)
 * @param protocol                fixed or tuned
 * @param noiseScale              B_simple at the end of training: the mean over batch sizes of their runs' latest
 *                                smoothed noise scale
 * @param noiseScaleAtTarget      B_simple at the target loss: the median over the best-learning-rate runs that
 *                                reached it of their smoothed noise scale at the crossing
 * @param criticalToNoiseRatio    B_crit / noiseScaleAtTarget
 */
public record SweepSummary(String sweepId, String name, Instant createdAt, Integer runCount, boolean complete,
                           String protocol, Target target, List<RunRow> runs, List<BatchSizeRow> batchSizes,
                           List<GridCell> grid, Fit fit, CriticalBatchSize criticalBatchSize, Double noiseScale,
                           Double noiseScaleAtTarget, Double criticalToNoiseRatio, LrScaling lrScaling,
                           EarlyStopSavings earlyStops, String recommendation) {

    /** The loss that counts as reached and which loss is compared with it. */
    public record Target(Double loss, String source) {
    }

    /**
     * @param learningRate       the run's peak learning rate (after the scaling rule), else its spec's base rate
     * @param outcome            why it ended (reached-target, pruned, completed, diverged, ...); null while running
     * @param iterations         the latest iteration applied
     * @param budgetIterations   the run's total steps when its budget tells (steps or samples, or epochs once the first
     *                           epoch ended)
     * @param loss               the latest mini-batch loss
     * @param emaLoss            the EMA of the training loss
     * @param bestEmaLoss        the lowest EMA of the training loss so far
     * @param noiseScale         the latest smoothed B_simple
     * @param stepsToTarget      lag-corrected steps to the target, t* - lag(t*) (section 7)
     * @param samplesToTarget    stepsToTarget times the batch size
     * @param noiseScaleAtTarget the smoothed B_simple at the iteration that reached the target
     * @param lossVolatility     standard deviation of the loss around its EMA over the latest window
     * @param generalizationGap  the latest validation loss minus the training loss reported with it
     */
    public record RunRow(String runId, Integer batchSize, Long seed, Double learningRate, String state,
                         String outcome, Integer attempt, long iterations, Long budgetIterations, int epoch,
                         long samplesSeen, Double seconds, Double loss, Double emaLoss, Double bestEmaLoss,
                         Double valLoss, Double bestValLoss, Double valAccuracy, Double bestValAccuracy,
                         Double noiseScale, Double gradientVariance, Double samplesPerSecond, Double stepsToTarget,
                         Double samplesToTarget, Double secondsToTarget, Double noiseScaleAtTarget,
                         Double lossVolatility, Double generalizationGap) {
    }

    /**
     * One batch size. The *ToTarget columns, reachedTarget and noiseScaleAtTarget are those of its best learning rate
     * (means over its seeds that reached the target; noiseScaleAtTarget their median); the other columns are means
     * over all the batch size's runs.
     */
    public record BatchSizeRow(int batchSize, int runs, int finished, int reachedTarget, Double bestLearningRate,
                               Double finalLoss, Double bestLoss, Double finalValLoss, Double bestValLoss,
                               Double finalValAccuracy, Double bestValAccuracy, Double stepsToTarget,
                               Double samplesToTarget, Double secondsToTarget, Double seconds, Double noiseScale,
                               Double noiseScaleAtTarget, Double lossVolatility, Double generalizationGap) {
    }

    /** One (batch size, learning rate) cell: its runs, how many reached the target, their mean steps to it. */
    public record GridCell(int batchSize, double learningRate, int runs, int reached, Double meanSteps) {
    }

    /** S = S_min (1 + B_crit / B), E = E_min (1 + B / B_crit), fitted on the best-learning-rate steps. */
    public record Fit(double sMin, double eMin, double bCrit, int points) {
    }

    /**
     * @param value  the fitted E_min / S_min
     * @param low    2.5th percentile of the bootstrap; null without an interval
     * @param high   97.5th percentile
     * @param method bootstrap-seeds, bootstrap-residuals, or fit (no interval)
     */
    public record CriticalBatchSize(double value, Double low, Double high, String method) {
    }

    /** log(lr*) = a + exponent log(B); shape: linear, square root or saturates. */
    public record LrScaling(double exponent, String shape) {
    }

    /**
     * @param runs             runs that ended early (reached-target or pruned)
     * @param steps            steps they did not train, out of their budgets
     * @param samples          examples they did not train
     * @param fractionOfBudget steps saved over the step budgets of all runs whose budget is known
     */
    public record EarlyStopSavings(int runs, long steps, long samples, Double fractionOfBudget) {
    }
}

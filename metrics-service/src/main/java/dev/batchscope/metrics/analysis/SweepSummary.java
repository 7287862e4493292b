package dev.batchscope.metrics.analysis;

import java.time.Instant;
import java.util.List;

/**
 * What a sweep has shown so far: a row per run (enough for a live watch table), a row per batch size (means over
 * seeds), the steps/samples fit and a one-line recommendation. Numbers that are not known yet are null.
 *
 * @param complete whether this replica holds every run of the sweep (with several replicas, each holds the runs of
 *                 its partitions)
 */
public record SweepSummary(String sweepId, String name, Instant createdAt, Integer runCount, boolean complete,
                           Target target, List<RunRow> runs, List<BatchSizeRow> batchSizes, Fit fit,
                           Double noiseScale, String recommendation) {

    /** The loss that counts as reached and which loss is compared with it. */
    public record Target(Double loss, String source) {
    }

    /**
     * @param iterations       the latest iteration applied
     * @param budgetIterations the run's total steps when its budget tells (steps or samples, or epochs once the first
     *                         epoch ended)
     * @param loss             the latest mini-batch loss
     * @param emaLoss          the EMA of the training loss
     * @param bestEmaLoss      the lowest EMA of the training loss so far
     * @param lossVolatility   standard deviation of the loss around its EMA over the latest window
     * @param generalizationGap the latest validation loss minus the training loss reported with it
     */
    public record RunRow(String runId, Integer batchSize, Long seed, Double learningRate, String state,
                         Integer attempt, long iterations, Long budgetIterations, int epoch, long samplesSeen,
                         Double seconds, Double loss, Double emaLoss, Double bestEmaLoss, Double valLoss,
                         Double bestValLoss, Double valAccuracy, Double bestValAccuracy, Double noiseScale, Double gradientVariance, Double samplesPerSecond,
                         Long stepsToTarget, Long samplesToTarget, Double secondsToTarget, Double lossVolatility,
                         Double generalizationGap) {
    }

    /** Means over the runs (seeds) of one batch size; *ToTarget over the runs that reached it. */
    public record BatchSizeRow(int batchSize, int runs, int finished, int reachedTarget, Double finalLoss,
                               Double bestLoss, Double finalValLoss, Double bestValLoss, Double finalValAccuracy,
                               Double bestValAccuracy, Double stepsToTarget, Double samplesToTarget,
                               Double secondsToTarget, Double seconds, Double noiseScale, Double lossVolatility,
                               Double generalizationGap) {
    }

    /** S = S_min (1 + B_crit / B), E = E_min (1 + B / B_crit). */
    public record Fit(double sMin, double eMin, double bCrit, int points) {
    }
}

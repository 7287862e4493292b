package dev.batchscope.trainer.engine;

/**
 * A validation pass.
 *
 * @param epoch       1-based epoch it ends (or falls in, at an iteration cadence)
 * @param iteration   the iteration after which it ran
 * @param trainLoss   mean batch loss of the iterations since the previous validation
 * @param valAccuracy share of correct argmax predictions; null for regression
 */
public record ValidationRecord(int epoch, long iteration, long samplesSeen, double trainLoss, double valLoss,
                               Double valAccuracy, long elapsedMs) {
}

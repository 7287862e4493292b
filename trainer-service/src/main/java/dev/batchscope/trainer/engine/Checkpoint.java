package dev.batchscope.trainer.engine;

import dev.batchscope.events.study.TargetCrossing;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a run needs to continue exactly where it was: weights, optimizer state, data-order position
 * and counters. The data order itself is a function of (orderSeed, epoch), so position is enough.
 *
 * @param fingerprint    identifies the RunSpec; a checkpoint of another spec is never resumed
 * @param iteration      iterations completed
 * @param epochIndex     0-based epoch of the next iteration
 * @param batchInEpoch   0-based batch position of the next iteration in that epoch's order
 * @param orderSeed      the seed of the epoch permutations
 * @param lossSum        sum of batch losses since the last validation (for its trainLoss)
 * @param lossCount      number of those losses
 * @param updaterState   the optimizer's state (momentum, Adam moments); null for plain SGD
 * @param targetCrossing where the run's target criterion stood; null when the run has no target loss
 */
public record Checkpoint(String fingerprint, long iteration, long epochIndex, long batchInEpoch, long orderSeed,
                         long samplesSeen, long elapsedMs, double lossSum, long lossCount,
                         INDArray parameters, INDArray updaterState, TargetCrossing.State targetCrossing) {
}

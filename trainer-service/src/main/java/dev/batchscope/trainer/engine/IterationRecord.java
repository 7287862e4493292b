package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;

/**
 * One optimizer step.
 *
 * @param iteration        1-based, the same across resumes
 * @param epoch            1-based epoch the step belongs to
 * @param samplesSeen      examples consumed including this step
 * @param loss             the batch loss at the weights before the update
 * @param gradNorm         L2 norm of the batch gradient the update used
 * @param learningRate     the rate this update used
 * @param elapsedMs        training wall time of the run so far, across resumes
 * @param samplesPerSecond this step's throughput (batch size over the step's wall time)
 * @param noise            the gradient-noise measurement, on measuring iterations only
 */
public record IterationRecord(long iteration, int epoch, long samplesSeen, double loss, double gradNorm,
                              double learningRate, long elapsedMs, double samplesPerSecond, NoiseMeasurement noise) {
}

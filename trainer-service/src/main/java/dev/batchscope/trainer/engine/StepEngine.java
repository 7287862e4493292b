package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.NoiseMethod;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Computes a run's steps on the DL4J network's parameters: {@link Dl4jSteps} or {@link DenseSteps}. */
interface StepEngine {
    /**
     * One optimizer step on the training rows {@code order[from .. from + batch)} at update number {@code index}
     * (0-based): loss and gradient at the current weights, the noise measurement when {@code measure}, then the update.
     */
    StepResult step(int[] order, int from, long index, long epochIndex, boolean measure);

    /** The noise measurement on the given batch at the current weights, without an update. */
    NoiseMeasurement measure(INDArray features, INDArray labels);

    EnginePath path();

    NoiseMethod noiseMethod();

    /**
     * @param loss     the mean batch loss at the weights before the update
     * @param gradNorm |G_B|, the norm of the mean gradient the update used
     * @param noise    the measurement, on measuring steps only
     */
    record StepResult(double loss, double gradNorm, NoiseMeasurement noise) {
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.dense.DenseNetwork;
import dev.batchscope.trainer.engine.dense.DenseOptimizer;
import dev.batchscope.trainer.engine.noise.GradientNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Steps of a dense model on the lean path: {@link DenseNetwork}'s gradient, {@link DenseOptimizer}'s update, and the
 * gradient noise from the per-example norms of the same backward pass (micro-batches of one, B of them), so a measuring
 * step costs about what a plain one does.
 */
final class DenseSteps implements StepEngine {
    private final DenseNetwork network;
    private final DenseOptimizer optimizer;
    private final int batch;

    DenseSteps(RunSpec spec, Dataset data, MultiLayerNetwork net, TrainingPlan plan) {
        this.batch = plan.batchSize();
        this.network = new DenseNetwork(spec, data, net, batch);
        this.optimizer = new DenseOptimizer(net);
    }

    @Override
    public StepResult step(int[] order, int from, long index, long epochIndex, boolean measure) {
        network.gather(order, from, measure);
        StepResult result = gradient(measure);
        optimizer.apply(network, index, epochIndex);
        return result;
    }

    @Override
    public NoiseMeasurement measure(INDArray features, INDArray labels) {
        network.load(features, labels);
        return gradient(true).noise();
    }

    private StepResult gradient(boolean measure) {
        double loss = network.computeGradient(measure);
        double sumNormSq = network.gradientNormSq();
        NoiseMeasurement noise = measure
                ? GradientNoise.fromPerExampleNorms(batch, network.perExampleNormSqSum(), sumNormSq) : null;
        // the gradient is of the summed loss; the loss and the reported norm are of the mean
        return new StepResult(loss, Math.sqrt(sumNormSq) / batch, noise);
    }

    @Override
    public EnginePath path() {
        return EnginePath.DENSE;
    }

    @Override
    public NoiseMethod noiseMethod() {
        return NoiseMethod.PER_EXAMPLE;
    }
}

package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.model.SteppableNetwork;
import dev.batchscope.trainer.engine.noise.GradientNoise;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Steps driven through DL4J's MultiLayerNetwork: gradient and score from {@code computeGradientAndScore}, then the
 * network's own updater and parameter step, exactly as {@code MultiLayerNetwork.fit} does (a test checks it bit for
 * bit). Every model trains here, conv layers included; the engine uses it for what the dense path does not cover, or
 * when asked to ({@link EnginePath#DL4J}).
 *
 * <p>On a measuring iteration the batch is split into k micro-batches whose gradients are computed at the same
 * weights; together they make up the batch gradient, so the update uses them and the batch gradient is never
 * computed twice.
 */
final class Dl4jSteps implements StepEngine {
    private final Dataset data;
    private final TrainingPlan plan;
    private final SteppableNetwork net;
    private final Updater updater;
    private final LayerWorkspaceMgr workspaces;
    private final INDArray parameters;
    /** The gradient buffer seen with the parameters' shape (DL4J keeps one as [P], the other as [1, P]). */
    private final INDArray gradientAsParameters;
    private final INDArray gradientVector;
    /** The current step's batch: rows gathered into buffers allocated once, or what measure was given. */
    private INDArray batchFeatures;
    private INDArray batchLabels;
    private final INDArray gatheredFeatures;
    private final INDArray gatheredLabels;
    private final int[] batchRows;
    private final int[] microBatchSizes;
    private INDArray microBatchSum;

    Dl4jSteps(Dataset data, SteppableNetwork net, TrainingPlan plan) {
        this.data = data;
        this.plan = plan;
        this.net = net;
        this.updater = net.getUpdater();
        this.workspaces = net.trainingWorkspaces();
        this.parameters = net.params();
        INDArray gradient = net.getFlattenedGradients();
        this.gradientAsParameters = gradient.reshape(parameters.shape());
        this.gradientVector = gradient.reshape(gradient.length());
        this.gatheredFeatures = Nd4j.create(data.trainFeatures().dataType(), plan.batchSize(), data.features());
        this.gatheredLabels = Nd4j.create(data.trainLabels().dataType(), plan.batchSize(), data.trainLabels().columns());
        this.batchRows = new int[plan.batchSize()];
        this.microBatchSizes = plan.microBatches() > 0 ? GradientNoise.microBatchSizes(plan.batchSize(), plan.microBatches()) : null;
    }

    @Override
    public StepResult step(int[] order, int from, long index, long epochIndex, boolean measure) {
        gatherBatch(order, from);
        StepResult step = measure ? measureMicroBatches() : plainGradient();
        update(index, epochIndex);
        return step;
    }

    @Override
    public NoiseMeasurement measure(INDArray features, INDArray labels) {
        batchFeatures = features;
        batchLabels = labels;
        return measureMicroBatches().noise();
    }

    @Override
    public EnginePath path() {
        return EnginePath.DL4J;
    }

    @Override
    public NoiseMethod noiseMethod() {
        return NoiseMethod.MICRO_BATCHES;
    }

    /** The gradient of the whole batch: the same calls, in the same order, as MultiLayerNetwork.fit. */
    private StepResult plainGradient() {
        net.setInput(batchFeatures);
        net.setLabels(batchLabels);
        net.computeGradientAndScore();
        double loss = net.score();
        // the backward pass sums over the batch; the loss and its gradient are means
        double gradNorm = Math.sqrt(squaredNorm(gradientVector)) / plan.batchSize();
        return new StepResult(loss, gradNorm, null);
    }

    /**
     * k micro-batch gradients at the current weights and the noise estimate from them; leaves their sum, which is
     * the batch gradient, in the network's gradient buffer for the update.
     *
     * <p>DL4J's backward pass yields the gradient summed over the batch (the updater divides by the batch size),
     * so micro-batch j yields S_j = b_j g_j and the batch gradient sum is their plain sum. The estimator only needs
     * |S_j|^2 and |sum_j S_j|^2 ({@link GradientNoise#fromGradientSums}), so the k gradients are folded into one
     * running sum instead of being kept: two passes over the parameters per micro-batch, where keeping them and
     * broadcasting over a k x P matrix cost more than the k backward passes themselves.
     */
    private StepResult measureMicroBatches() {
        int k = microBatchSizes.length;
        if (microBatchSum == null) {
            microBatchSum = Nd4j.create(gradientVector.dataType(), gradientVector.length());
        }
        double loss = 0;
        double squaredSumNormsOverSize = 0;
        int from = 0;
        for (int j = 0; j < k; j++) {
            int to = from + microBatchSizes[j];
            net.setInput(batchFeatures.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            net.setLabels(batchLabels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            net.computeGradientAndScore();
            loss += net.score() * microBatchSizes[j] / plan.batchSize();
            squaredSumNormsOverSize += squaredNorm(gradientVector) / microBatchSizes[j];
            if (j == 0) {
                microBatchSum.assign(gradientVector);
            } else {
                microBatchSum.addi(gradientVector);
            }
            from = to;
        }
        gradientVector.assign(microBatchSum);
        double batchSumNormSq = squaredNorm(gradientVector);
        NoiseMeasurement noise = GradientNoise.fromGradientSums(microBatchSizes, squaredSumNormsOverSize, batchSumNormSq);
        double gradNorm = Math.sqrt(batchSumNormSq) / plan.batchSize();
        return new StepResult(loss, gradNorm, noise);
    }

    /** The network's updater turns the gradient into the update in place; the step subtracts it (DL4J's SGD step). */
    private void update(long index, long epochIndex) {
        updater.update(net, net.gradient(), (int) index, (int) epochIndex, plan.batchSize(), workspaces);
        parameters.subi(gradientAsParameters);
        net.getLayerWiseConfigurations().setIterationCount((int) index + 1);
        net.getLayerWiseConfigurations().setEpochCount((int) epochIndex);
    }

    /**
     * Copies this step's rows into the batch buffers: one native copy per array and no allocation per step.
     * Gathering on the training thread keeps it simple and cheap enough (a few percent of a step); a prefetching
     * thread measured slower on busy machines, where handing each batch across threads costs scheduling delays.
     */
    private void gatherBatch(int[] order, int from) {
        System.arraycopy(order, from, batchRows, 0, batchRows.length);
        Nd4j.pullRows(data.trainFeatures(), gatheredFeatures, 1, batchRows);
        Nd4j.pullRows(data.trainLabels(), gatheredLabels, 1, batchRows);
        batchFeatures = gatheredFeatures;
        batchLabels = gatheredLabels;
    }

    /**
     * |v|^2 through BLAS dot: an order of magnitude faster than nd4j's generic norm2 reduction on a few hundred
     * thousand floats, which on small batches would otherwise cost several percent of every step.
     */
    private static double squaredNorm(INDArray vector) {
        return Nd4j.getBlasWrapper().dot(vector, vector);
    }
}

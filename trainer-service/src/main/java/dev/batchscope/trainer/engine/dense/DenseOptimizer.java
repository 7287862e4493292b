package dev.batchscope.trainer.engine.dense;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec's optimizers (sgd, momentum = DL4J's Nesterovs, adam = DL4J's Adam) as plain loops over the parameters,
 * doing exactly DL4J's float arithmetic in DL4J's order: the gradient of the summed loss divided by the batch size
 * (BaseMultiLayerUpdater), then libnd4j's updater (sgd: lr g; nesterovs: v' = mu v - lr g, update = mu v + (-mu - 1) v';
 * adam: m' = b1 m + (1 - b1) g, v' = b2 v + (1 - b2) g^2, update = m' lr sqrt(1 - b2^t) / (1 - b1^t) / (sqrt(v') + eps)),
 * then parameters minus the update. The learning rate and momentum come from the DL4J updater's own configuration
 * (the run's WarmupSchedule), and the optimizer state lives in the DL4J updater's state array, in its layout, so a
 * checkpoint holds the same state whichever path trained it.
 *
 * <p>One loop per step instead of DL4J's per-layer division ops and updater op: a third of the time at these sizes.
 */
public final class DenseOptimizer {
    private final List<Block> blocks = new ArrayList<>();
    private final FloatBuffer parameters;

    public DenseOptimizer(MultiLayerNetwork net) {
        this.parameters = Buffers.floats(net.params());
        INDArray stateArray = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getStateViewArray();
        FloatBuffer state = stateArray == null ? null : Buffers.floats(stateArray);
        for (UpdaterBlock block : ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks()) {
            IUpdater config = block.getGradientUpdater().getConfig();
            int from = block.getParamOffsetStart();
            int to = block.getParamOffsetEnd();
            FloatBuffer blockState = state == null || block.getUpdaterViewOffsetEnd() == block.getUpdaterViewOffsetStart()
                    ? null : state.slice(block.getUpdaterViewOffsetStart(), block.getUpdaterViewOffsetEnd() - block.getUpdaterViewOffsetStart());
            if (!(config instanceof Sgd || config instanceof Nesterovs || config instanceof Adam)) {
                throw new IllegalArgumentException("the dense path has no updater " + config.getClass().getSimpleName());
            }
            blocks.add(new Block(config, from, to, blockState));
        }
    }

    /**
     * Applies update number {@code index} (0-based, as DL4J counts iterations) from the network's last gradient, the
     * gradient of the loss summed over its batch. Leaves the gradient unchanged.
     */
    public void apply(DenseNetwork network, long index, long epoch) {
        FloatBuffer gradient = network.gradientBuffer();
        float batchSize = network.batchSize();
        for (Block block : blocks) {
            int iteration = (int) index;
            int epochIndex = (int) epoch;
            if (block.config instanceof Sgd sgd) {
                sgd(block, gradient, batchSize, (float) sgd.getLearningRate(iteration, epochIndex));
            } else if (block.config instanceof Nesterovs nesterovs) {
                nesterovs(block, gradient, batchSize, (float) nesterovs.getLearningRate(iteration, epochIndex),
                        (float) nesterovs.currentMomentum(iteration, epochIndex));
            } else {
                adam(block, gradient, batchSize, (Adam) block.config, iteration, epochIndex);
            }
        }
    }

    private void sgd(Block block, FloatBuffer gradient, float batch, float lr) {
        for (int i = block.from; i < block.to; i++) {
            float g = gradient.get(i) / batch;
            parameters.put(i, parameters.get(i) - g * lr);
        }
    }

    private void nesterovs(Block block, FloatBuffer gradient, float batch, float lr, float momentum) {
        float momentumT = -momentum - 1;
        FloatBuffer v = block.state;
        for (int i = block.from, s = 0; i < block.to; i++, s++) {
            float g = gradient.get(i) / batch;
            float previous = momentum * v.get(s);
            float next = previous - lr * g;
            v.put(s, next);
            parameters.put(i, parameters.get(i) - (previous + momentumT * next));
        }
    }

    private void adam(Block block, FloatBuffer gradient, float batch, Adam config, int iteration, int epoch) {
        float lr = (float) config.getLearningRate(iteration, epoch);
        float beta1 = (float) config.getBeta1();
        float beta2 = (float) config.getBeta2();
        float epsilon = (float) config.getEpsilon();
        float t = (float) iteration + 1;
        float beta1T = (float) Math.pow(beta1, t);
        float beta2T = (float) Math.pow(beta2, t);
        float epsilonT = (float) (lr * (float) Math.sqrt((float) (1.0 - beta2T)) / (1.0 - beta1T));
        if (Float.isNaN(epsilonT) || Float.isInfinite(epsilonT) || epsilonT == 0) {
            epsilonT = epsilon;
        }
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        int half = block.to - block.from;
        FloatBuffer state = block.state;
        for (int i = block.from, s = 0; i < block.to; i++, s++) {
            float g = gradient.get(i) / batch;
            float m = beta1 * state.get(s) + g * oneMinusBeta1;
            float v = beta2 * state.get(half + s) + g * g * oneMinusBeta2;
            state.put(s, m);
            state.put(half + s, v);
            parameters.put(i, parameters.get(i) - (m * epsilonT) / ((float) Math.sqrt(v) + epsilon));
        }
    }

    /** One DL4J updater block: parameters [from, to) and their state (Adam: m then v; Nesterovs: v; SGD: none). */
    private record Block(IUpdater config, int from, int to, FloatBuffer state) {
    }
}

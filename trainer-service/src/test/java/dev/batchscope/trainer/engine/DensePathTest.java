package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.spec.Activation;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerType;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WarmupSpec;
import dev.batchscope.events.spec.WeightInit;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.engine.data.EpochOrder;
import dev.batchscope.trainer.engine.dense.DenseNetwork;
import dev.batchscope.trainer.engine.model.NetworkFactory;
import dev.batchscope.trainer.engine.model.WarmupSchedule;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The lean dense path against DL4J's own computation: the same gradient for every activation and loss it covers, the
 * same trajectory for every optimizer (with warmup), per-example gradient norms equal to B separate backward passes,
 * and the engine's choice of path.
 */
class DensePathTest {
    private static final int BATCH = 24;
    /**
     * Float results of two summation orders, relative to the largest component: the differences measured 0 to 3e-7
     * (a few float roundings), so a wrong term in any formula shows.
     */
    private static final double GRADIENT_TOLERANCE = 2e-6;

    static Stream<Arguments> models() {
        return Stream.of(
                arguments("mlp relu cross-entropy", blobs(ModelType.MLP, Activation.RELU, LossFunction.CROSS_ENTROPY)),
                arguments("mlp tanh cross-entropy", blobs(ModelType.MLP, Activation.TANH, LossFunction.CROSS_ENTROPY)),
                arguments("mlp sigmoid cross-entropy", blobs(ModelType.MLP, Activation.SIGMOID, LossFunction.CROSS_ENTROPY)),
                arguments("logreg cross-entropy", blobs(ModelType.LOGREG, Activation.RELU, LossFunction.CROSS_ENTROPY)),
                arguments("mlp relu mse on softmax", blobs(ModelType.MLP, Activation.RELU, LossFunction.MSE)),
                arguments("mlp tanh mae on softmax", blobs(ModelType.MLP, Activation.TANH, LossFunction.MAE)),
                arguments("linear mse", regression(ModelType.LINEAR, Activation.RELU, LossFunction.MSE)),
                arguments("linear mae", regression(ModelType.LINEAR, Activation.RELU, LossFunction.MAE)),
                arguments("mlp sigmoid mse regression", regression(ModelType.MLP, Activation.SIGMOID, LossFunction.MSE)),
                arguments("mlp relu mae regression", regression(ModelType.MLP, Activation.RELU, LossFunction.MAE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientAndLossEqualDl4js(String name, RunSpec spec) {
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        MultiLayerNetwork net = NetworkFactory.build(spec, data, new WarmupSchedule(0.05, 0));
        DenseNetwork dense = new DenseNetwork(spec, data, net, BATCH);
        // two batches: at initialisation, and after moving the weights so that no unit sits exactly at a kink
        for (int batch = 0; batch < 2; batch++) {
            int[] rows = rows(data, batch);
            INDArray x = Nd4j.pullRows(data.trainFeatures(), 1, rows);
            INDArray y = Nd4j.pullRows(data.trainLabels(), 1, rows);
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
            INDArray expected = net.getFlattenedGradients().dup().reshape(net.params().length());

            dense.load(x, y);
            double loss = dense.computeGradient(false);
            assertEquals(net.score(), loss, 1e-6 * Math.max(1, Math.abs(net.score())), name + ": loss");
            assertClose(expected, dense.gradient().reshape(expected.length()), name);
            net.params().addi(Nd4j.rand(net.params().dataType(), net.params().shape()).subi(0.5).muli(0.2));
        }
    }

    /** |g_i|^2 summed over the batch from one pass equals B backward passes of one example each. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void perExampleNormsEqualOnePassPerExample(String name, RunSpec spec) {
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        MultiLayerNetwork net = NetworkFactory.build(spec, data, new WarmupSchedule(0.05, 0));
        DenseNetwork dense = new DenseNetwork(spec, data, net, BATCH);
        int[] rows = rows(data, 0);
        double expected = 0;
        for (int row : rows) {
            net.setInput(Nd4j.pullRows(data.trainFeatures(), 1, new int[]{row}));
            net.setLabels(Nd4j.pullRows(data.trainLabels(), 1, new int[]{row}));
            net.computeGradientAndScore();
            INDArray g = net.getFlattenedGradients();
            expected += g.mul(g).sumNumber().doubleValue();
        }
        dense.load(Nd4j.pullRows(data.trainFeatures(), 1, rows), Nd4j.pullRows(data.trainLabels(), 1, rows));
        dense.computeGradient(true);
        assertEquals(expected, dense.perExampleNormSqSum(), 1e-5 * expected, name);
    }

    /**
     * The dense path's measurement (per-example) against DL4J's path measuring with B micro-batches of one example:
     * the same estimator on the same gradients, so the same numbers up to float rounding.
     */
    @Test
    void perExampleMeasurementEqualsMicroBatchesOfOne() {
        RunSpec spec = withNoise(blobs(ModelType.MLP, Activation.TANH, LossFunction.CROSS_ENTROPY), new NoiseSpec(1, BATCH));
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        Trainer dense = Trainer.create(spec, data, EnginePath.DENSE);
        Trainer dl4j = Trainer.create(spec, data, EnginePath.DL4J);
        int[] rows = rows(data, 0);
        INDArray x = Nd4j.pullRows(data.trainFeatures(), 1, rows);
        INDArray y = Nd4j.pullRows(data.trainLabels(), 1, rows);
        NoiseMeasurement perExample = dense.measureNoise(x, y);
        NoiseMeasurement ofOnes = dl4j.measureNoise(x, y);
        assertEquals(NoiseMethod.PER_EXAMPLE, perExample.method());
        assertEquals(NoiseMethod.MICRO_BATCHES, ofOnes.method());
        assertEquals(BATCH, perExample.microBatches());
        assertEquals(1, perExample.microBatchSize());
        assertEquals(ofOnes.microBatchSize(), perExample.microBatchSize());
        assertEquals(ofOnes.traceSigma(), perExample.traceSigma(), 1e-5 * ofOnes.traceSigma());
        assertEquals(ofOnes.gradVariance(), perExample.gradVariance(), 1e-5 * ofOnes.gradVariance());
        assertEquals(ofOnes.gradNormSqUnbiased(), perExample.gradNormSqUnbiased(), 1e-4 * Math.abs(ofOnes.gradNormSqUnbiased()));
    }

    /**
     * Every optimizer, with a warmup: twelve steps of the dense path follow DL4J's path (bit for bit equal to
     * MultiLayerNetwork.fit, EngineStepTest) to float rounding, in losses, parameters and optimizer state.
     */
    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void optimizersFollowDl4jsTrajectory(OptimizerType optimizer) {
        RunSpec base = Specs.blobsMlp(Specs.optimizer(optimizer), 32, BudgetSpec.steps(12), NoiseSpec.OFF);
        RunSpec spec = new RunSpec(base.dataset(), base.model(), base.loss(), base.optimizer(), base.batchSize(),
                new LearningRateSpec(0.05, LrScaling.NONE, null, new WarmupSpec(5, 0)), base.budget(), base.seed(),
                base.noise(), base.validation(), null, base.checkpoint(), null);
        Dataset data = DatasetLoader.standard().load(spec.dataset(), spec.seed());
        Trainer dense = Trainer.create(spec, data);
        Trainer dl4j = Trainer.create(spec, data, EnginePath.DL4J);
        assertEquals(EnginePath.DENSE, dense.path());
        assertEquals(EnginePath.DL4J, dl4j.path());
        assertArrayEquals(dl4j.parameters().data().asFloat(), dense.parameters().data().asFloat(), "same initial weights");
        List<IterationRecord> denseSteps = new ArrayList<>();
        List<IterationRecord> dl4jSteps = new ArrayList<>();
        dense.train(EngineStepTest.collect(denseSteps), RunControl.NEVER, null);
        dl4j.train(EngineStepTest.collect(dl4jSteps), RunControl.NEVER, null);
        for (int i = 0; i < dl4jSteps.size(); i++) {
            IterationRecord expected = dl4jSteps.get(i);
            IterationRecord actual = denseSteps.get(i);
            assertEquals(expected.learningRate(), actual.learningRate(), 0.0, "the warmup schedule");
            assertEquals(expected.loss(), actual.loss(), 1e-5 * Math.abs(expected.loss()), "loss at " + (i + 1));
            assertEquals(expected.gradNorm(), actual.gradNorm(), 1e-4 * expected.gradNorm(), "gradient norm at " + (i + 1));
        }
        assertClose(dl4j.parameters(), dense.parameters(), optimizer + " parameters");
        INDArray state = dl4j.network().getUpdater().getStateViewArray();
        if (state != null) {
            assertClose(state, dense.network().getUpdater().getStateViewArray(), optimizer + " state");
        }
    }

    /** Measuring the noise on the dense path reads the backward pass; it changes nothing in the training. */
    @Test
    void measuringEveryIterationLeavesTheTrajectoryBitForBit() {
        RunSpec plain = Specs.blobsMlp(Specs.optimizer(OptimizerType.ADAM), 32, BudgetSpec.steps(12), NoiseSpec.OFF);
        RunSpec measured = withNoise(plain, new NoiseSpec(1, 4));
        Dataset data = DatasetLoader.standard().load(plain.dataset(), plain.seed());
        Trainer a = Trainer.create(plain, data);
        Trainer b = Trainer.create(measured, data);
        List<IterationRecord> recordsA = new ArrayList<>();
        List<IterationRecord> recordsB = new ArrayList<>();
        a.train(EngineStepTest.collect(recordsA), RunControl.NEVER, null);
        b.train(EngineStepTest.collect(recordsB), RunControl.NEVER, null);
        for (int i = 0; i < recordsA.size(); i++) {
            assertEquals(recordsA.get(i).loss(), recordsB.get(i).loss(), 0.0);
            assertEquals(recordsA.get(i).gradNorm(), recordsB.get(i).gradNorm(), 0.0);
            NoiseMeasurement noise = recordsB.get(i).noise();
            assertEquals(NoiseMethod.PER_EXAMPLE, noise.method());
            assertEquals(32, noise.microBatches());
            assertTrue(noise.traceSigma() > 0, "tr(Sigma) of a real batch");
        }
        assertArrayEquals(a.parameters().data().asFloat(), b.parameters().data().asFloat());
    }

    @Test
    void enginePicksThePathByModel() {
        RunSpec mlp = Specs.blobsMlp(Specs.optimizer(OptimizerType.SGD), 32, BudgetSpec.steps(1), NoiseSpec.DEFAULT);
        Dataset blobs = DatasetLoader.standard().load(mlp.dataset(), mlp.seed());
        assertEquals(EnginePath.DENSE, Trainer.create(mlp, blobs).path());
        assertEquals(NoiseMethod.PER_EXAMPLE, Trainer.create(mlp, blobs).noiseMethod());
        assertEquals(EnginePath.DL4J, Trainer.create(mlp, blobs, EnginePath.DL4J).path());
        assertEquals(NoiseMethod.MICRO_BATCHES, Trainer.create(mlp, blobs, EnginePath.DL4J).noiseMethod());

        // real images: the conv layers need an image dataset (Fashion-MNIST, dataset-fashion-mnist)
        RunSpec cnn = new RunSpec(new DatasetSpec(DatasetKind.FASHION_MNIST, 100, null, null, null, null, null, null), new ModelSpec(ModelType.CNN, List.of(8), Activation.RELU, WeightInit.XAVIER),
                LossFunction.CROSS_ENTROPY, Specs.optimizer(OptimizerType.SGD), BatchSize.of(8), LearningRateSpec.constant(0.05),
                BudgetSpec.steps(1), 1L, NoiseSpec.DEFAULT, ValidationSpec.EVERY_EPOCH, null, new CheckpointSpec(0, 0), null);
        Dataset images = DatasetLoader.standard().load(cnn.dataset(), cnn.seed());
        assertEquals(EnginePath.DL4J, Trainer.create(cnn, images).path());
        TrainingException refused = assertThrows(TrainingException.class, () -> Trainer.create(cnn, images, EnginePath.DENSE));
        assertTrue(refused.getMessage().contains("cnn"), refused.getMessage());
    }

    private static int[] rows(Dataset data, int batch) {
        int[] order = EpochOrder.permutation(3, 0, data.trainSize());
        return Arrays.copyOfRange(order, batch * BATCH, (batch + 1) * BATCH);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        float[] e = expected.data().asFloat();
        float[] a = actual.data().asFloat();
        assertEquals(e.length, a.length, what + ": length");
        double scale = 0;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
        }
        for (int i = 0; i < e.length; i++) {
            double error = Math.abs(e[i] - a[i]);
            if (error > worst) {
                worst = error;
                worstAt = i;
            }
        }
        assertTrue(worst <= GRADIENT_TOLERANCE * scale, what + ": largest difference " + worst + " at " + worstAt
                + " (DL4J " + (worstAt < 0 ? 0 : e[worstAt]) + ", dense " + (worstAt < 0 ? 0 : a[worstAt])
                + "), largest value " + scale);
    }

    private static RunSpec blobs(ModelType type, Activation activation, LossFunction loss) {
        return new RunSpec(Specs.blobs(600, 8, 3), new ModelSpec(type, type == ModelType.MLP ? List.of(16, 8) : List.of(),
                activation, WeightInit.XAVIER), loss, Specs.optimizer(OptimizerType.SGD), BatchSize.of(BATCH),
                LearningRateSpec.constant(0.05), BudgetSpec.steps(1), 7L, NoiseSpec.OFF, ValidationSpec.EVERY_EPOCH, null,
                new CheckpointSpec(0, 0), null);
    }

    private static RunSpec regression(ModelType type, Activation activation, LossFunction loss) {
        return new RunSpec(Specs.linear(600, 6, 0.5), new ModelSpec(type, type == ModelType.MLP ? List.of(12) : List.of(),
                activation, WeightInit.XAVIER), loss, Specs.optimizer(OptimizerType.SGD), BatchSize.of(BATCH),
                LearningRateSpec.constant(0.05), BudgetSpec.steps(1), 7L, NoiseSpec.OFF, ValidationSpec.EVERY_EPOCH, null,
                new CheckpointSpec(0, 0), null);
    }

    private static RunSpec withNoise(RunSpec s, NoiseSpec noise) {
        return new RunSpec(s.dataset(), s.model(), s.loss(), s.optimizer(), s.batchSize(), s.learningRate(), s.budget(),
                s.seed(), noise, s.validation(), s.targetLoss(), s.checkpoint(), s.stopAtTarget());
    }
}

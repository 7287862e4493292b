package dev.batchscope.trainer.engine.model;

import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.trainer.engine.TrainingException;
import dev.batchscope.trainer.engine.data.Dataset;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.List;

/**
 * Builds the DL4J network of a run. Loss conventions are DL4J's: cross-entropy and the mean over the
 * batch of mse = sum_o (y_o - p_o)^2 / outputs and mae = sum_o |y_o - p_o| / outputs (no factor 1/2).
 */
public final class NetworkFactory {
    /** LeNet-5's channel counts and dense width, used when a cnn names no hidden layers. */
    static final int CONV1_CHANNELS = 6;
    static final int CONV2_CHANNELS = 16;
    static final int CNN_DEFAULT_DENSE = 120;

    private NetworkFactory() {
    }

    public static SteppableNetwork build(RunSpec spec, Dataset data, WarmupSchedule schedule) {
        ModelSpec model = spec.model();
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(DataType.FLOAT)
                .weightInit(weightInit(model.weightInit()))
                .updater(updater(spec.optimizer(), schedule))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .cacheMode(CacheMode.NONE)
                .list();
        Activation hidden = activation(model.activation());
        switch (model.type()) {
            case LINEAR, LOGREG -> {
                // no hidden layers: the output layer is the whole model
            }
            case MLP -> model.hidden().forEach(width -> layers.layer(dense(width, hidden)));
            case CNN -> {
                if (data.image() == null) {
                    throw new TrainingException("model.type: cnn needs an image dataset; " + data.name() + " has plain feature rows");
                }
                layers.layer(new ConvolutionLayer.Builder(5, 5).nOut(CONV1_CHANNELS).activation(hidden).build());
                layers.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
                layers.layer(new ConvolutionLayer.Builder(5, 5).nOut(CONV2_CHANNELS).activation(hidden).build());
                layers.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
                List<Integer> widths = model.hidden().isEmpty() ? List.of(CNN_DEFAULT_DENSE) : model.hidden();
                widths.forEach(width -> layers.layer(dense(width, hidden)));
            }
        }
        Activation output = data.classification() ? Activation.SOFTMAX : Activation.IDENTITY;
        layers.layer(new OutputLayer.Builder(loss(spec)).nOut(data.outputs()).activation(output).build());
        layers.setInputType(model.type() == ModelType.CNN
                ? InputType.convolutionalFlat(data.image().height(), data.image().width(), data.image().channels())
                : InputType.feedForward(data.features()));
        MultiLayerConfiguration conf = layers.build();
        SteppableNetwork net = new SteppableNetwork(conf);
        net.init();
        return net;
    }

    private static DenseLayer dense(int width, Activation activation) {
        return new DenseLayer.Builder().nOut(width).activation(activation).build();
    }

    static IUpdater updater(OptimizerSpec optimizer, WarmupSchedule schedule) {
        return switch (optimizer.type()) {
            case SGD -> new Sgd(schedule);
            case MOMENTUM -> new Nesterovs(schedule, optimizer.momentum());
            case ADAM -> new Adam(schedule);
        };
    }

    static ILossFunction loss(RunSpec spec) {
        return switch (spec.loss()) {
            case CROSS_ENTROPY -> new LossMCXENT();
            case MSE -> new LossMSE();
            case MAE -> new LossMAE();
        };
    }

    static WeightInit weightInit(dev.batchscope.events.spec.WeightInit init) {
        return switch (init) {
            case XAVIER -> WeightInit.XAVIER;
            case HE -> WeightInit.RELU;
            case ZEROS -> WeightInit.ZERO;
        };
    }

    static Activation activation(dev.batchscope.events.spec.Activation activation) {
        return switch (activation) {
            case RELU -> Activation.RELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
        };
    }
}

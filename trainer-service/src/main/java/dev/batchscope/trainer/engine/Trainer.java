package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.study.TargetCrossing;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.EpochOrder;
import dev.batchscope.trainer.engine.model.NetworkFactory;
import dev.batchscope.trainer.engine.model.SteppableNetwork;
import dev.batchscope.trainer.engine.model.WarmupSchedule;
import dev.batchscope.trainer.engine.noise.GradientNoise;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Trains one run by driving DL4J's MultiLayerNetwork step by step: gradient and score from
 * {@code computeGradientAndScore}, then the network's own updater and parameter step, exactly as
 * {@code MultiLayerNetwork.fit} does. Owning the loop lets it record every iteration, take the gradient-noise
 * measurement at the weights before the update, check for cancellation between steps and checkpoint
 * anywhere.
 *
 * <p>On a measuring iteration the batch is split into k micro-batches whose gradients are computed at the same
 * weights; together they make up the batch gradient, so the update uses them and the batch gradient is never
 * computed twice.
 *
 * <p>Deterministic on CPU: the data order is a function of (seed, epoch), initialisation comes from the seed,
 * and nothing else draws random numbers. Not thread-safe: one trainer, one thread.
 */
public final class Trainer {
    /** Validation runs in chunks so that a CNN over 10,000 images does not hold all activations at once. */
    static final int VALIDATION_CHUNK = 1024;
    private static final double NANOS_PER_SECOND = 1e9;

    private final RunSpec spec;
    private final Dataset data;
    private final TrainingPlan plan;
    private final WarmupSchedule schedule;
    private final SteppableNetwork net;
    private final Updater updater;
    private final LayerWorkspaceMgr workspaces;
    private final INDArray parameters;
    private final INDArray gradient;
    /** The gradient buffer seen with the parameters' shape (DL4J keeps one as [P], the other as [1, P]). */
    private final INDArray gradientAsParameters;
    private final INDArray gradientVector;
    /** The current step's batch: rows gathered into buffers allocated once, or what measureNoise was given. */
    private INDArray batchFeatures;
    private INDArray batchLabels;
    private final INDArray gatheredFeatures;
    private final INDArray gatheredLabels;
    private final int[] batchRows;
    private final String fingerprint;
    private final int[] microBatchSizes;
    private INDArray microBatchSum;

    private Trainer(RunSpec spec, Dataset data) {
        this.spec = spec;
        this.data = data;
        this.plan = TrainingPlan.of(spec, data);
        this.schedule = new WarmupSchedule(plan.peakLearningRate(), plan.warmupIterations());
        this.net = NetworkFactory.build(spec, data, schedule);
        this.updater = net.getUpdater();
        this.workspaces = net.trainingWorkspaces();
        this.parameters = net.params();
        this.gradient = net.getFlattenedGradients();
        this.gradientAsParameters = gradient.reshape(parameters.shape());
        this.gradientVector = gradient.reshape(gradient.length());
        this.gatheredFeatures = Nd4j.create(data.trainFeatures().dataType(), plan.batchSize(), data.features());
        this.gatheredLabels = Nd4j.create(data.trainLabels().dataType(), plan.batchSize(), data.trainLabels().columns());
        this.batchRows = new int[plan.batchSize()];
        this.fingerprint = fingerprint(spec);
        this.microBatchSizes = plan.microBatches() > 0 ? GradientNoise.microBatchSizes(plan.batchSize(), plan.microBatches()) : null;
    }

    /** Builds the network for {@code spec} on {@code data}; fails with a reason when the run cannot be trained. */
    public static Trainer create(RunSpec spec, Dataset data) {
        return new Trainer(spec, data);
    }

    public TrainingPlan plan() {
        return plan;
    }

    public SteppableNetwork network() {
        return net;
    }

    /** A copy of the current parameters. */
    public INDArray parameters() {
        return parameters.dup();
    }

    /** Identifies the spec; checkpoints carry it so that a reused run id never resumes a different run. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Trains until the budget is spent, {@code control} asks to stop, the run reaches its target (stopAtTarget) or
     * its step cap, resuming from {@code checkpoints} when it holds a checkpoint of this spec. A run with a target
     * loss feeds every iteration's loss to its {@link TargetCrossing}, whose state the checkpoints keep, so a resumed
     * run reaches the target at the same iteration as an uninterrupted one.
     *
     * @param checkpoints where to save and find checkpoints; null for none
     * @throws DivergedException when the loss or the gradient stops being finite
     */
    public TrainingResult train(TrainingListener listener, RunControl control, CheckpointStore checkpoints) {
        Progress progress = new Progress();
        progress.target = spec.targetLoss() == null ? null : new TargetCrossing(spec.targetLoss());
        Optional<Checkpoint> restored = checkpoints == null ? Optional.empty() : checkpoints.load(fingerprint);
        restored.ifPresent(checkpoint -> restore(checkpoint, progress));
        listener.started(plan, progress.iteration);
        progress.attemptStart = System.nanoTime();
        progress.lastCheckpoint = progress.attemptStart;

        int[] order = null;
        long orderEpoch = -1;
        while (progress.iteration < plan.totalSteps()) {
            StopRequest stop = control.poll();
            if (stop != null) {
                return stopped(stop, progress, listener, checkpoints);
            }
            if (progress.iteration >= control.stepCap() && !progress.reachedTarget()) {
                return endedEarly(TrainingResult.Outcome.PRUNED, progress, listener,
                        "stopped at iteration " + progress.iteration + " by its step cap " + control.stepCap()
                                + " without reaching the target");
            }
            long index = progress.iteration;
            long epochIndex = index / plan.stepsPerEpoch();
            if (epochIndex != orderEpoch) {
                order = EpochOrder.permutation(spec.seed(), epochIndex, plan.trainExamples());
                orderEpoch = epochIndex;
            }
            long start = System.nanoTime();
            gatherBatch(order, (int) (index % plan.stepsPerEpoch()) * plan.batchSize());
            long iteration = index + 1;
            double learningRate = schedule.rateAt(index);
            Step step = plan.measuresNoiseAt(iteration) ? measuredStep(index, epochIndex) : plainStep(index, epochIndex);
            long end = System.nanoTime();
            requireFinite(step, iteration, learningRate);

            progress.iteration = iteration;
            progress.samplesSeen += plan.batchSize();
            progress.lossSum += step.loss;
            progress.lossCount++;
            boolean crossed = progress.target != null && progress.target.add(step.loss);
            double samplesPerSecond = plan.batchSize() * NANOS_PER_SECOND / Math.max(1, end - start);
            listener.iteration(new IterationRecord(iteration, (int) epochIndex + 1, progress.samplesSeen, step.loss,
                    step.gradNorm, learningRate, progress.elapsedMs(), samplesPerSecond, step.noise));

            if (crossed && spec.stopAtTarget()) {
                return endedEarly(TrainingResult.Outcome.REACHED_TARGET, progress, listener,
                        "the smoothed training loss reached the target " + spec.targetLoss() + " at iteration " + iteration);
            }
            if (plan.validatesAt(iteration)) {
                validateNow(progress, listener);
            }
            if (iteration < plan.totalSteps() && checkpoints != null && checkpointDue(progress)) {
                saveCheckpoint(checkpoints, progress);
                listener.checkpointed(iteration);
            }
        }
        return result(TrainingResult.Outcome.COMPLETED, progress, null);
    }

    private TrainingResult stopped(StopRequest stop, Progress progress, TrainingListener listener, CheckpointStore checkpoints) {
        if (!stop.suspend()) {
            return result(TrainingResult.Outcome.CANCELLED, progress, stop.reason());
        }
        if (checkpoints != null && progress.iteration > 0) {
            saveCheckpoint(checkpoints, progress);
            listener.checkpointed(progress.iteration);
        }
        return result(TrainingResult.Outcome.SUSPENDED, progress, stop.reason());
    }

    /** Stopped for good before the budget: one last validation, so the run has its loss and accuracy where it ended. */
    private TrainingResult endedEarly(TrainingResult.Outcome outcome, Progress progress, TrainingListener listener,
                                      String reason) {
        if (progress.iteration > 0 && progress.validatedAt != progress.iteration) {
            validateNow(progress, listener);
        }
        return result(outcome, progress, reason);
    }

    private TrainingResult result(TrainingResult.Outcome outcome, Progress progress, String reason) {
        Long reachedAt = progress.target == null ? null : progress.target.state().crossedAt();
        return new TrainingResult(outcome, progress.iteration, progress.samplesSeen, reason, reachedAt);
    }

    private void validateNow(Progress progress, TrainingListener listener) {
        listener.validated(validate(progress));
        progress.lossSum = 0;
        progress.lossCount = 0;
        progress.validatedAt = progress.iteration;
    }

    /** One step on the whole batch: the same calls, in the same order, as MultiLayerNetwork.fit. */
    private Step plainStep(long index, long epochIndex) {
        net.setInput(batchFeatures);
        net.setLabels(batchLabels);
        net.computeGradientAndScore();
        double loss = net.score();
        // the backward pass sums over the batch; the loss and its gradient are means
        double gradNorm = Math.sqrt(squaredNorm(gradientVector)) / plan.batchSize();
        update(index, epochIndex);
        return new Step(loss, gradNorm, null);
    }

    /** The measurement, then the update from the batch gradient it leaves in the gradient buffer. */
    private Step measuredStep(long index, long epochIndex) {
        Step step = measure();
        update(index, epochIndex);
        return step;
    }

    /**
     * The gradient-noise measurement on one batch at the current weights, without an update: what a measuring
     * iteration records. For analysis and for checking the estimator against closed forms.
     *
     * @param features {@code batchSize} rows of features
     * @param labels   their labels
     */
    public NoiseMeasurement measureNoise(INDArray features, INDArray labels) {
        if (features.rows() != plan.batchSize() || labels.rows() != plan.batchSize()) {
            throw new IllegalArgumentException("a measurement takes " + plan.batchSize() + " rows, got " + features.rows());
        }
        if (microBatchSizes == null) {
            throw new IllegalStateException("this run takes no noise measurement (noise.every is 0 or the batch is smaller than 2)");
        }
        batchFeatures = features;
        batchLabels = labels;
        return measure().noise;
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
    private Step measure() {
        int k = microBatchSizes.length;
        if (microBatchSum == null) {
            microBatchSum = Nd4j.create(gradient.dataType(), gradient.length());
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
        return new Step(loss, gradNorm, noise);
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

    private ValidationRecord validate(Progress progress) {
        boolean heldOut = data.validationSize() > 0;
        // With nothing held out (validationFraction 0) the pass scores the training split instead.
        INDArray features = heldOut ? data.validationFeatures() : data.trainFeatures();
        INDArray labels = heldOut ? data.validationLabels() : data.trainLabels();
        int rows = (int) features.rows();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < rows; from += VALIDATION_CHUNK) {
            int to = Math.min(rows, from + VALIDATION_CHUNK);
            INDArray x = features.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray y = labels.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            lossSum += net.score(new DataSet(x, y), false) * (to - from);
            if (data.classification()) {
                INDArray predicted = net.output(x, false).argMax(1);
                correct += predicted.eq(y.argMax(1)).castTo(DataType.INT).sumNumber().longValue();
            }
        }
        double trainLoss = progress.lossCount == 0 ? Double.NaN : progress.lossSum / progress.lossCount;
        return new ValidationRecord(plan.epochOf(progress.iteration), progress.iteration, progress.samplesSeen, trainLoss,
                lossSum / rows, data.classification() ? (double) correct / rows : null, progress.elapsedMs());
    }

    private boolean checkpointDue(Progress progress) {
        if (plan.checkpointEveryIterations() > 0 && progress.iteration % plan.checkpointEveryIterations() == 0) {
            return true;
        }
        return plan.checkpointEverySeconds() > 0
                && System.nanoTime() - progress.lastCheckpoint >= plan.checkpointEverySeconds() * (long) NANOS_PER_SECOND;
    }

    private void saveCheckpoint(CheckpointStore store, Progress progress) {
        INDArray updaterState = updater.getStateViewArray();
        store.save(new Checkpoint(fingerprint, progress.iteration, progress.iteration / plan.stepsPerEpoch(),
                progress.iteration % plan.stepsPerEpoch(), spec.seed(), progress.samplesSeen, progress.elapsedMs(),
                progress.lossSum, progress.lossCount, parameters, updaterState,
                progress.target == null ? null : progress.target.state()));
        progress.lastCheckpoint = System.nanoTime();
    }

    private void restore(Checkpoint checkpoint, Progress progress) {
        if (checkpoint.parameters().length() != parameters.length()) {
            throw new TrainingException("checkpoint in the checkpoint directory has " + checkpoint.parameters().length()
                    + " parameters; this run's model has " + parameters.length());
        }
        if (checkpoint.orderSeed() != spec.seed()
                || checkpoint.epochIndex() != checkpoint.iteration() / plan.stepsPerEpoch()
                || checkpoint.batchInEpoch() != checkpoint.iteration() % plan.stepsPerEpoch()) {
            throw new TrainingException("checkpoint position (epoch " + checkpoint.epochIndex() + ", batch "
                    + checkpoint.batchInEpoch() + ") does not match this run's data order");
        }
        parameters.assign(checkpoint.parameters().reshape(parameters.shape()));
        INDArray state = updater.getStateViewArray();
        if (state != null && checkpoint.updaterState() != null) {
            state.assign(checkpoint.updaterState().reshape(state.shape()));
        }
        progress.iteration = checkpoint.iteration();
        progress.samplesSeen = checkpoint.samplesSeen();
        progress.elapsedBefore = checkpoint.elapsedMs();
        progress.lossSum = checkpoint.lossSum();
        progress.lossCount = checkpoint.lossCount();
        if (progress.target != null) {
            if (checkpoint.targetCrossing() == null) {
                throw new TrainingException("checkpoint at iteration " + checkpoint.iteration()
                        + " lacks the target criterion's state; this run has a target loss");
            }
            progress.target = new TargetCrossing(spec.targetLoss(), checkpoint.targetCrossing());
        }
        // the checkpoint is saved after the iteration's validation, if it had one
        progress.validatedAt = plan.validatesAt(checkpoint.iteration()) ? checkpoint.iteration() : -1;
        net.getLayerWiseConfigurations().setIterationCount((int) checkpoint.iteration());
    }

    /**
     * |v|^2 through BLAS dot: an order of magnitude faster than nd4j's generic norm2 reduction on a few hundred
     * thousand floats, which on small batches would otherwise cost several percent of every step.
     */
    private static double squaredNorm(INDArray vector) {
        return Nd4j.getBlasWrapper().dot(vector, vector);
    }

    private static void requireFinite(Step step, long iteration, double learningRate) {
        if (!Double.isFinite(step.loss)) {
            throw new DivergedException("loss became " + step.loss + " at iteration " + iteration + " (learning rate "
                    + learningRate + "): training diverged; try a lower learning rate", iteration);
        }
        if (!Double.isFinite(step.gradNorm)) {
            throw new DivergedException("gradient became " + step.gradNorm + " at iteration " + iteration
                    + " (learning rate " + learningRate + "): training diverged; try a lower learning rate", iteration);
        }
    }

    static String fingerprint(RunSpec spec) {
        try {
            byte[] json = EventJson.writeString(spec).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private record Step(double loss, double gradNorm, NoiseMeasurement noise) {
    }

    /** Counters of the run, restored from a checkpoint on resume. */
    private static final class Progress {
        long iteration;
        long samplesSeen;
        long elapsedBefore;
        double lossSum;
        long lossCount;
        long attemptStart;
        long lastCheckpoint;
        /** The last iteration that ended with a validation; -1 for none in this attempt. */
        long validatedAt = -1;
        /** The run's target criterion; null when it has no target loss. */
        TargetCrossing target;

        boolean reachedTarget() {
            return target != null && target.reached();
        }

        long elapsedMs() {
            return elapsedBefore + (System.nanoTime() - attemptStart) / 1_000_000;
        }
    }
}

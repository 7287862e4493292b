package dev.batchscope.trainer.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.study.TargetCrossing;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.EpochOrder;
import dev.batchscope.trainer.engine.dense.DenseNetwork;
import dev.batchscope.trainer.engine.model.NetworkFactory;
import dev.batchscope.trainer.engine.model.SteppableNetwork;
import dev.batchscope.trainer.engine.model.WarmupSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Trains one run step by step: owning the loop lets it record every iteration, take the gradient-noise measurement at
 * the weights before the update, check for cancellation between steps and checkpoint anywhere.
 *
 * <p>The steps themselves come from one of two {@link StepEngine}s on the same DL4J network ({@link EnginePath}): the
 * lean dense path for dense models (BLAS products and plain loops; noise from per-example gradient norms of the one
 * backward pass), or DL4J's own calls for every other model (conv layers; noise from k micro-batches). Validation and
 * checkpoints go through the DL4J network, whose parameters and updater state both paths update in place.
 *
 * <p>Deterministic on CPU for a given thread count: the data order is a function of (seed, epoch), initialisation
 * comes from the seed, and nothing else draws random numbers. Not thread-safe: one trainer, one thread.
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
    private final INDArray parameters;
    private final StepEngine steps;
    private final String fingerprint;

    private Trainer(RunSpec spec, Dataset data, EnginePath path) {
        this.spec = spec;
        this.data = data;
        this.plan = TrainingPlan.of(spec, data);
        this.schedule = new WarmupSchedule(plan.peakLearningRate(), plan.warmupIterations());
        this.net = NetworkFactory.build(spec, data, schedule);
        this.parameters = net.params();
        this.fingerprint = fingerprint(spec);
        Optional<String> notDense = DenseNetwork.unsupported(spec, data);
        if (path == EnginePath.DENSE && notDense.isPresent()) {
            throw new TrainingException("the dense engine path cannot train this run: " + notDense.get());
        }
        this.steps = path == EnginePath.DL4J || notDense.isPresent()
                ? new Dl4jSteps(data, net, plan)
                : new DenseSteps(spec, data, net, plan);
    }

    /** Builds the network for {@code spec} on {@code data}; fails with a reason when the run cannot be trained. */
    public static Trainer create(RunSpec spec, Dataset data) {
        return create(spec, data, EnginePath.AUTO);
    }

    /** The same on a chosen {@link EnginePath} (the trainer's {@code batchscope.trainer.engine-path}, benchmarks, tests). */
    public static Trainer create(RunSpec spec, Dataset data, EnginePath path) {
        return new Trainer(spec, data, path);
    }

    /** The path that computes this run's steps: {@link EnginePath#DENSE} or {@link EnginePath#DL4J}. */
    public EnginePath path() {
        return steps.path();
    }

    /** How this run's noise measurements are taken. */
    public NoiseMethod noiseMethod() {
        return steps.noiseMethod();
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
            long iteration = index + 1;
            double learningRate = schedule.rateAt(index);
            StepEngine.StepResult step = steps.step(order, (int) (index % plan.stepsPerEpoch()) * plan.batchSize(),
                    index, epochIndex, plan.measuresNoiseAt(iteration));
            long end = System.nanoTime();
            requireFinite(step, iteration, learningRate);

            progress.iteration = iteration;
            progress.samplesSeen += plan.batchSize();
            progress.lossSum += step.loss();
            progress.lossCount++;
            boolean crossed = progress.target != null && progress.target.add(step.loss());
            double samplesPerSecond = plan.batchSize() * NANOS_PER_SECOND / Math.max(1, end - start);
            listener.iteration(new IterationRecord(iteration, (int) epochIndex + 1, progress.samplesSeen, step.loss(),
                    step.gradNorm(), learningRate, progress.elapsedMs(), samplesPerSecond, step.noise()));

            if (crossed && spec.stopAtTarget()) {
                return endedEarly(TrainingResult.Outcome.REACHED_TARGET, progress, listener,
                        "the smoothed training loss reached the target " + spec.targetLoss() + " at iteration " + iteration);
            }
            if (plan.validatesAt(iteration)) {
                validateNow(progress, listener);
            }
            if (iteration < plan.totalSteps() && checkpoints != null && checkpointDue(progress)
                    && listener.delivered(iteration)) {
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
        if (checkpoints != null && progress.iteration > 0 && listener.delivered(progress.iteration)) {
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
        if (plan.noiseEvery() == 0) {
            throw new IllegalStateException("this run takes no noise measurement (noise.every is 0 or the batch is smaller than 2)");
        }
        return steps.measure(features, labels);
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
        INDArray updaterState = net.getUpdater().getStateViewArray();
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
        INDArray state = net.getUpdater().getStateViewArray();
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

    private static void requireFinite(StepEngine.StepResult step, long iteration, double learningRate) {
        if (!Double.isFinite(step.loss())) {
            throw new DivergedException("loss became " + step.loss() + " at iteration " + iteration + " (learning rate "
                    + learningRate + "): training diverged; try a lower learning rate", iteration);
        }
        if (!Double.isFinite(step.gradNorm())) {
            throw new DivergedException("gradient became " + step.gradNorm() + " at iteration " + iteration
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

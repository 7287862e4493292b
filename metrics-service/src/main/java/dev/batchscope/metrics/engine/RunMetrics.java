package dev.batchscope.metrics.engine;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.study.TargetCrossing;

/**
 * What one run's metrics stream adds up to: the latest values, the smoothed ones, the series and the point where the
 * target loss was first reached.
 *
 * <p>With the {@code train-loss-ema} source, "reached" is the trainer's criterion, {@link TargetCrossing}: every
 * iteration's loss goes into one, and the steps to target are its lag-corrected {@code stepsToTarget(t*)}. Its
 * smoothing does not depend on the target, so it runs from the first loss on (against a target no loss reaches while
 * the run's target is unknown) and its smoothed value is stored with every iteration: a target that becomes known
 * later is looked up there.
 *
 * <p>Idempotent per (attempt, iteration): an event of an older attempt or an iteration already applied changes
 * nothing. The first event of a newer attempt (a resumed run) first drops everything from its iteration on and
 * restores the smoothing state as it was after the previous iteration, so the resumed run ends up exactly like one
 * that was never interrupted.
 *
 * <p>Written under the Aggregator's lock only. The values Prometheus reads without that lock are volatile.
 */
public final class RunMetrics {
    /** Columns of the iteration series. */
    public static final int IT_LOSS = 0;
    public static final int IT_LOSS_EMA = 1;
    public static final int IT_SAMPLES_PER_SECOND = 2;
    /** The target criterion's bias-corrected smoothed loss ({@link TargetCrossing#smoothed()}). */
    public static final int IT_LOSS_SMOOTHED = 3;
    /** Columns of the noise series. */
    public static final int NOISE_GRAD_VARIANCE = 0;
    public static final int NOISE_SCALE = 1;
    /** Columns of the validation series. */
    public static final int VAL_LOSS = 0;
    public static final int VAL_ACCURACY = 1;
    public static final int VAL_TRAIN_LOSS = 2;
    /** Stands for "no target yet": the criterion smooths, but no finite loss reaches it. */
    private static final double UNREACHABLE = -Double.MAX_VALUE;

    private final EngineSettings settings;
    private final ShapeSeries iterations;
    private final ShapeSeries noise;
    private final ShapeSeries validations;
    private final RecentIterations recent;

    private int attempt;
    private long lastIteration;
    private long lastEvalIteration = -1;
    private boolean resumedApproximately;

    private volatile double loss = Double.NaN;
    private volatile double lossEma = Double.NaN;
    private volatile double gradNorm = Double.NaN;
    private volatile double gradVariance = Double.NaN;
    private volatile double learningRate = Double.NaN;
    private volatile double samplesPerSecond = Double.NaN;
    private volatile double noiseScale = Double.NaN;
    private volatile double valLoss = Double.NaN;
    private volatile double valAccuracy = Double.NaN;
    private volatile double evalTrainLoss = Double.NaN;
    private volatile long samplesSeen;
    private volatile long elapsedMs;
    private volatile int epoch;
    private volatile long iterationsHighWater;
    private volatile long samplesHighWater;

    private double traceSigmaEma = Double.NaN;
    private double gradNormSqEma = Double.NaN;

    private Double target;
    private EngineSettings.TargetSource targetSource;
    private TargetHit hit;
    private TargetCrossing crossing = new TargetCrossing(UNREACHABLE);

    private Integer firstEpoch;
    private boolean sawFirstIteration;
    private Long stepsPerEpoch;

    public RunMetrics(EngineSettings settings) {
        this.settings = settings;
        int points = settings.seriesPoints();
        this.iterations = new ShapeSeries(points, 4, IT_LOSS);
        this.noise = new ShapeSeries(points, 2, NOISE_GRAD_VARIANCE);
        this.validations = new ShapeSeries(points, 3, VAL_LOSS);
        this.recent = new RecentIterations(settings.resumeWindow());
        this.targetSource = settings.targetSource();
    }

    public Outcome apply(IterationMetrics m) {
        long it = m.iteration();
        Outcome outcome = admit(m.attempt(), it, it);
        if (outcome == Outcome.DUPLICATE || outcome == Outcome.STALE_ATTEMPT) {
            return outcome;
        }
        if (outcome == Outcome.APPLIED && it <= lastIteration) {
            return Outcome.DUPLICATE;
        }
        double l = m.loss();
        double ema = Double.isNaN(lossEma) ? l : lossEma + settings.lossEmaAlpha() * (l - lossEma);
        lossEma = ema;
        NoiseMeasurement n = m.noise();
        if (n != null) {
            applyNoise(it, m.samplesSeen(), m.elapsedMs(), n);
        }
        loss = l;
        gradNorm = m.gradNorm();
        learningRate = m.learningRate();
        samplesPerSecond = m.samplesPerSecond();
        samplesSeen = m.samplesSeen();
        elapsedMs = m.elapsedMs();
        epoch = m.epoch();
        lastIteration = it;
        iterationsHighWater = Math.max(iterationsHighWater, it);
        samplesHighWater = Math.max(samplesHighWater, m.samplesSeen());
        boolean crossed = crossing.add(l);
        iterations.append(it, m.samplesSeen(), m.elapsedMs(), l, ema, m.samplesPerSecond(), crossing.smoothed());
        recent.push(it, l, ema, traceSigmaEma, gradNormSqEma, crossing.state());
        observeEpoch(it, m.epoch());
        if (crossed && hit == null && targetSource == EngineSettings.TargetSource.TRAIN_LOSS_EMA) {
            hit = TargetHit.crossing(it, m.samplesSeen(), m.elapsedMs());
        }
        return outcome;
    }

    public Outcome apply(EpochMetrics m) {
        long it = m.iteration();
        // an evaluation after iteration `it` of a new attempt: iterations up to `it` stand, later ones are re-sent
        Outcome outcome = admit(m.attempt(), it + 1, it);
        if (outcome == Outcome.DUPLICATE || outcome == Outcome.STALE_ATTEMPT) {
            return outcome;
        }
        if (outcome == Outcome.APPLIED && it <= lastEvalIteration) {
            return Outcome.DUPLICATE;
        }
        double accuracy = m.valAccuracy() == null ? Double.NaN : m.valAccuracy();
        valLoss = m.valLoss();
        valAccuracy = accuracy;
        evalTrainLoss = m.trainLoss();
        lastEvalIteration = it;
        epoch = Math.max(epoch, m.epoch());
        validations.append(it, m.samplesSeen(), m.elapsedMs(), m.valLoss(), accuracy, m.trainLoss());
        if (hit == null && target != null && targetSource == EngineSettings.TargetSource.VAL_LOSS
                && m.valLoss() <= target) {
            hit = TargetHit.validation(it, m.samplesSeen(), m.elapsedMs());
        }
        return outcome;
    }

    /**
     * Sets the loss that counts as reached. When it changes after points arrived (the status that carries the spec
     * was read after the metrics), the first crossing is looked up in the stored series.
     */
    public void target(Double targetLoss) {
        if (java.util.Objects.equals(targetLoss, target)) {
            return;
        }
        target = targetLoss;
        hit = null;
        if (targetSource == EngineSettings.TargetSource.VAL_LOSS) {
            hit = targetLoss == null ? null : findValidationHit(targetLoss);
            return;
        }
        hit = targetLoss == null ? null : findCrossing(targetLoss);
        TargetCrossing.State now = crossing.state();
        crossing = new TargetCrossing(targetLoss == null ? UNREACHABLE : targetLoss,
                new TargetCrossing.State(now.iterations(), now.biasedEma(), hit == null ? null : hit.step()));
    }

    private TargetHit findValidationHit(double targetLoss) {
        for (int i = 0; i < validations.size(); i++) {
            if (validations.value(i, VAL_LOSS) <= targetLoss) {
                return TargetHit.validation(validations.step(i), validations.samples(i), validations.elapsedMs(i));
            }
        }
        return null;
    }

    /**
     * The first stored iteration whose smoothed loss reaches the target. The series keeps every iteration until it is
     * compacted; after that the crossing is found to within one bucket of raw points.
     */
    private TargetHit findCrossing(double targetLoss) {
        for (int i = 0; i < iterations.size(); i++) {
            if (TargetCrossing.reaches(iterations.value(i, IT_LOSS_SMOOTHED), targetLoss)) {
                return TargetHit.crossing(iterations.step(i), iterations.samples(i), iterations.elapsedMs(i));
            }
        }
        return null;
    }

    /**
     * Decides whether an event of {@code eventAttempt} is applied, and truncates first for a new attempt.
     *
     * @param iterationsFrom first iteration the new attempt re-sends
     * @param evalsFrom      first evaluation iteration the new attempt re-sends
     */
    private Outcome admit(int eventAttempt, long iterationsFrom, long evalsFrom) {
        if (attempt != 0 && eventAttempt < attempt) {
            return Outcome.STALE_ATTEMPT;
        }
        if (eventAttempt > attempt) {
            boolean first = attempt == 0;
            attempt = eventAttempt;
            if (!first) {
                resumeFrom(iterationsFrom, evalsFrom);
                return Outcome.RESUMED;
            }
        }
        return Outcome.APPLIED;
    }

    private void resumeFrom(long iterationsFrom, long evalsFrom) {
        iterations.truncateFrom(iterationsFrom);
        noise.truncateFrom(iterationsFrom);
        validations.truncateFrom(evalsFrom);
        recent.truncateFrom(iterationsFrom);
        int k = recent.lastBefore(iterationsFrom);
        TargetCrossing.State crossingState;
        if (k >= 0 && recent.iteration(k) == iterationsFrom - 1) {
            crossingState = recent.crossingState(k);
            lossEma = recent.lossEma(k);
            traceSigmaEma = recent.traceSigmaEma(k);
            gradNormSqEma = recent.gradNormSqEma(k);
            resumedApproximately = false;
        } else {
            // the checkpoint is older than the resume window: restart from the newest stored point
            int last = iterations.lastIndexBefore(iterationsFrom);
            lossEma = last < 0 ? Double.NaN : iterations.value(last, IT_LOSS_EMA);
            crossingState = last < 0 ? TargetCrossing.State.START
                    : approximateCrossingState(iterations.step(last), iterations.value(last, IT_LOSS_SMOOTHED));
            traceSigmaEma = k >= 0 ? recent.traceSigmaEma(k) : Double.NaN;
            gradNormSqEma = k >= 0 ? recent.gradNormSqEma(k) : Double.NaN;
            resumedApproximately = last >= 0;
        }
        lastIteration = Math.min(lastIteration, iterationsFrom - 1);
        int lastNoise = noise.size() - 1;
        gradVariance = lastNoise < 0 ? Double.NaN : noise.value(lastNoise, NOISE_GRAD_VARIANCE);
        noiseScale = lastNoise < 0 ? Double.NaN : noise.value(lastNoise, NOISE_SCALE);
        int lastEval = validations.size() - 1;
        lastEvalIteration = lastEval < 0 ? -1 : validations.step(lastEval);
        valLoss = lastEval < 0 ? Double.NaN : validations.value(lastEval, VAL_LOSS);
        valAccuracy = lastEval < 0 ? Double.NaN : validations.value(lastEval, VAL_ACCURACY);
        evalTrainLoss = lastEval < 0 ? Double.NaN : validations.value(lastEval, VAL_TRAIN_LOSS);
        if (hit != null && (hit.step() >= (targetSource == EngineSettings.TargetSource.VAL_LOSS
                ? evalsFrom : iterationsFrom))) {
            hit = null;
        }
        Long crossedAt = hit != null && targetSource == EngineSettings.TargetSource.TRAIN_LOSS_EMA ? hit.step() : null;
        crossing = new TargetCrossing(target == null ? UNREACHABLE : target,
                new TargetCrossing.State(crossingState.iterations(), crossingState.biasedEma(), crossedAt));
    }

    /**
     * The criterion's state after iteration {@code step} from its stored smoothed value alone (a resume older than the
     * window): m_t = smoothed_t (1 - (1 - a)^t), taking the losses added as the iteration number.
     */
    private static TargetCrossing.State approximateCrossingState(long step, double smoothed) {
        double biased = smoothed * (1 - Math.pow(1 - TargetCrossing.ALPHA, step));
        return new TargetCrossing.State(step, biased, null);
    }

    private void applyNoise(long it, long samples, long elapsed, NoiseMeasurement n) {
        double alpha = settings.noiseEmaAlpha();
        traceSigmaEma = Double.isNaN(traceSigmaEma) ? n.traceSigma()
                : traceSigmaEma + alpha * (n.traceSigma() - traceSigmaEma);
        gradNormSqEma = Double.isNaN(gradNormSqEma) ? n.gradNormSqUnbiased()
                : gradNormSqEma + alpha * (n.gradNormSqUnbiased() - gradNormSqEma);
        // the ratio of the smoothed parts, not the smoothed ratio: one noisy denominator near zero would dominate that
        double scale = gradNormSqEma > 0 ? traceSigmaEma / gradNormSqEma : Double.NaN;
        gradVariance = n.gradVariance();
        noiseScale = scale;
        noise.append(it, samples, elapsed, n.gradVariance(), scale);
    }

    /** Steps per epoch, learned when the first epoch of a run seen from its first iteration ends. */
    private void observeEpoch(long it, int ep) {
        if (firstEpoch == null) {
            firstEpoch = ep;
            sawFirstIteration = it == 1;
        } else if (stepsPerEpoch == null && sawFirstIteration && ep > firstEpoch) {
            stepsPerEpoch = it - 1;
        }
    }

    /** Sample standard deviation of the iteration loss around its EMA over the configured window. */
    public double lossVolatility() {
        return recent.volatility(settings.volatilityWindow());
    }

    /** A finished run needs no resume state: keep only the volatility window. */
    public void finished() {
        recent.shrinkTo(settings.volatilityWindow());
    }

    public int attempt() {
        return attempt;
    }

    public long iteration() {
        return lastIteration;
    }

    public long iterationsHighWater() {
        return iterationsHighWater;
    }

    public long samplesHighWater() {
        return samplesHighWater;
    }

    public double loss() {
        return loss;
    }

    public double lossEma() {
        return lossEma;
    }

    public double gradNorm() {
        return gradNorm;
    }

    public double gradVariance() {
        return gradVariance;
    }

    public double learningRate() {
        return learningRate;
    }

    public double samplesPerSecond() {
        return samplesPerSecond;
    }

    public double noiseScale() {
        return noiseScale;
    }

    public double valLoss() {
        return valLoss;
    }

    public double valAccuracy() {
        return valAccuracy;
    }

    /** The training loss the latest validation reported beside its validation loss. */
    public double evalTrainLoss() {
        return evalTrainLoss;
    }

    public long samplesSeen() {
        return samplesSeen;
    }

    public long elapsedMs() {
        return elapsedMs;
    }

    public int epoch() {
        return epoch;
    }

    public boolean hasValidation() {
        return lastEvalIteration >= 0;
    }

    public boolean hasNoise() {
        return !noise.isEmpty();
    }

    public Long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    public TargetHit targetHit() {
        return hit;
    }

    public Double target() {
        return target;
    }

    /** Whether the last resume restarted smoothing from an approximate state (checkpoint older than the window). */
    public boolean resumedApproximately() {
        return resumedApproximately;
    }

    public ShapeSeries iterations() {
        return iterations;
    }

    public ShapeSeries noise() {
        return noise;
    }

    public ShapeSeries validations() {
        return validations;
    }

    /**
     * Where the target loss was first reached.
     *
     * @param step            the iteration at which the criterion held: t* for the smoothed training loss, the
     *                        validation's iteration for the validation loss
     * @param stepsToTarget   t* - lag(t*) for the smoothed training loss ({@link TargetCrossing#stepsToTarget}); the
     *                        validation's iteration for the validation loss, which is not smoothed
     * @param samplesToTarget stepsToTarget times the examples per step up to {@code step} (the batch size)
     * @param elapsedMs       training time up to {@code step}
     */
    public record TargetHit(long step, double stepsToTarget, double samplesToTarget, long elapsedMs) {
        static TargetHit crossing(long crossedAt, long samplesSeen, long elapsedMs) {
            double steps = TargetCrossing.stepsToTarget(crossedAt);
            return new TargetHit(crossedAt, steps, steps * samplesSeen / crossedAt, elapsedMs);
        }

        static TargetHit validation(long iteration, long samplesSeen, long elapsedMs) {
            return new TargetHit(iteration, iteration, samplesSeen, elapsedMs);
        }
    }

    /**
     * The smoothed noise scale B_simple as it stood at iteration {@code step}: the newest noise measurement at or
     * before it (NaN when none): the gradient noise scale at the loss the run had reached there.
     */
    public double noiseScaleAt(long step) {
        double at = Double.NaN;
        for (int i = 0; i < noise.size() && noise.step(i) <= step; i++) {
            at = noise.value(i, NOISE_SCALE);
        }
        return at;
    }

    /** What an event did. */
    public enum Outcome {
        APPLIED,
        /** applied after dropping the previous attempt's points from the resume point on */
        RESUMED,
        DUPLICATE,
        STALE_ATTEMPT
    }
}

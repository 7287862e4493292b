package dev.batchscope.events.study;

import java.util.OptionalLong;

/**
 * The one definition of "reached the target loss", shared by the trainer (stopAtTarget, pruning) and the
 * metrics-service (steps and samples to target); docs/design.md#7-the-batch-size-study.
 *
 * <p>The per-iteration mini-batch loss is noisy, so the criterion reads a bias-corrected exponential moving average
 * of it: m_t = (1 - a) m_(t-1) + a L_t from m_0 = 0, smoothed_t = m_t / (1 - (1 - a)^t), a = {@value #ALPHA}. The
 * crossing t* is the first iteration with smoothed_t <= target.
 *
 * <p>Smoothing lags: smoothed_t is a weighted mean of the losses of the last iterations, the loss of iteration t - k
 * weighing a(1 - a)^k. Its mean age, {@link #lag(long)}, tends to (1 - a)/a = 9 iterations, which would inflate every
 * steps-to-target by as much and pull a fitted critical batch size down most where steps are few. So the reported
 * steps to target are S = t* - lag(t*): on a loss that falls linearly, smoothed_t is exactly the loss of iteration
 * t - lag(t), and S is where the loss itself reached the target (to within one iteration).
 *
 * <p>Resumable: {@link #state()} goes into the trainer's checkpoint, and a crossing built from it continues exactly as
 * an uninterrupted one. Not thread-safe.
 */
public final class TargetCrossing {
    public static final double ALPHA = 0.1;
    private static final double KEEP = 1 - ALPHA;

    private final double target;
    private long iterations;
    private double biased;
    private Long crossedAt;

    /**
     * What a checkpoint keeps.
     *
     * @param iterations losses added so far (the last iteration)
     * @param biasedEma  m_t, before the bias correction
     * @param crossedAt  t*, or null while not reached
     */
    public record State(long iterations, double biasedEma, Long crossedAt) {
        public static final State START = new State(0, 0.0, null);
    }

    public TargetCrossing(double target) {
        this(target, State.START);
    }

    public TargetCrossing(double target, State resumeFrom) {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite, got " + target);
        }
        this.target = target;
        this.iterations = resumeFrom.iterations();
        this.biased = resumeFrom.biasedEma();
        this.crossedAt = resumeFrom.crossedAt();
    }

    /**
     * Adds the loss of the next iteration.
     *
     * @return true when the criterion holds for the first time, at this iteration
     */
    public boolean add(double loss) {
        iterations++;
        biased = KEEP * biased + ALPHA * loss;
        if (crossedAt == null && reaches(smoothed(), target)) {
            crossedAt = iterations;
            return true;
        }
        return false;
    }

    /**
     * The criterion itself, for a reader that holds stored smoothed values (the metrics-service, when a run's target
     * becomes known after its losses arrived).
     */
    public static boolean reaches(double smoothedLoss, double target) {
        return smoothedLoss <= target;
    }

    /** The bias-corrected moving average after the last loss added; NaN before the first. */
    public double smoothed() {
        return iterations == 0 ? Double.NaN : biased / (1 - Math.pow(KEEP, iterations));
    }

    public double target() {
        return target;
    }

    public long iterations() {
        return iterations;
    }

    /** t*: the iteration at which the smoothed loss first reached the target. */
    public OptionalLong crossedAt() {
        return crossedAt == null ? OptionalLong.empty() : OptionalLong.of(crossedAt);
    }

    public boolean reached() {
        return crossedAt != null;
    }

    public State state() {
        return new State(iterations, biased, crossedAt);
    }

    /**
     * The mean age of the weights of the bias-corrected average after {@code t} losses:
     * sum_(k=0)^(t-1) k a (1-a)^k / (1 - (1-a)^t), in closed form. 0 at t = 1, tends to (1-a)/a.
     */
    public static double lag(long t) {
        if (t < 1) {
            throw new IllegalArgumentException("the lag is defined from the first iteration on, got " + t);
        }
        double keepT = Math.pow(KEEP, t);
        // sum_(k=0)^(t-1) k r^k = r (1 - t r^(t-1) + (t-1) r^t) / (1-r)^2, with r = 1 - a
        double ageSum = KEEP * (1 - t * Math.pow(KEEP, t - 1) + (t - 1) * keepT) / (ALPHA * ALPHA);
        return ALPHA * ageSum / (1 - keepT);
    }

    /** S = t* - lag(t*): the lag-corrected steps to target of a run that crossed at iteration {@code crossedAt}. */
    public static double stepsToTarget(long crossedAt) {
        return crossedAt - lag(crossedAt);
    }

    /** S x B: the examples a run of batch size {@code batchSize} needed to reach the target. */
    public static double samplesToTarget(long crossedAt, int batchSize) {
        return stepsToTarget(crossedAt) * batchSize;
    }
}

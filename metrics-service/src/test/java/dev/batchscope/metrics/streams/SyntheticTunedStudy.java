package dev.batchscope.metrics.streams;

import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.events.study.TargetCrossing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A tuned sweep whose answer is known by construction: S(B) = S_min (1 + B_crit / B) with S_min = 40 and
 * B_crit = 200 (E_min = 8000), the best learning rate growing as sqrt(B), and B_simple = 150 throughout.
 *
 * <p>Per batch size three learning rates, two seeds each:
 * <ul>
 *   <li>the best, {@link #bestLearningRate(int)}: the loss falls linearly and reaches the target at S(B) (times the
 *   seed's factor); the run stops where the trainer's criterion ({@link TargetCrossing}) holds, outcome
 *   reached-target. On a linear fall the service's lag-corrected steps are then S to within one iteration;</li>
 *   <li>half of it: 1.3 S, trained to the end of its budget (completed);</li>
 *   <li>twice it: 1.8 S, pruned at 1.5 S, before it could reach the target.</li>
 * </ul>
 * Seeds scale S by 1 + {@link #SEED_SPREAD} and 1 - it, so a cell's mean is S itself and the bootstrap has seed
 * noise to resample. Noise measurements keep traceSigma / |G|^2 = 150 while both parts change, so their smoothed
 * ratio is 150 whatever the smoothing.
 */
public final class SyntheticTunedStudy {
    public static final String SWEEP = "sw-tuned";
    public static final double S_MIN = 40;
    public static final double B_CRIT = 200;
    public static final double NOISE_SCALE = 150;
    public static final double TARGET = 0.5;
    public static final int[] BATCH_SIZES = {16, 32, 64, 128, 256, 512, 1024};
    public static final long[] SEEDS = {1, 2};
    /** Multiples of the best learning rate and how many times longer they take to reach the target. */
    static final double[] LR_FACTORS = {0.5, 1, 2};
    static final double[] SLOWER = {1.3, 1, 1.8};
    static final double SEED_SPREAD = 0.02;
    /** Where the loss starts its linear fall to the target. */
    private static final double START_LOSS = 2.5;
    private static final int NOISE_EVERY = 10;
    private static final int TRAIN_SAMPLES = 8192;

    private final List<RecordedStream.Record> status = new ArrayList<>();
    private final List<RecordedStream.Record> metrics = new ArrayList<>();
    private final Instant start;
    private int earlyStops;
    private long iterations;

    /** @param start when the sweep was created; events follow it by milliseconds */
    public SyntheticTunedStudy(Instant start) {
        this.start = start;
        int index = 0;
        int runCount = BATCH_SIZES.length * LR_FACTORS.length * SEEDS.length;
        for (int b : BATCH_SIZES) {
            for (int lr = 0; lr < LR_FACTORS.length; lr++) {
                for (int s = 0; s < SEEDS.length; s++) {
                    SweepRef ref = new SweepRef("tuned", start, runCount, index, null, Protocol.TUNED, null);
                    // seed 1 slower, seed 2 faster by the same factor
                    double seedFactor = s == 0 ? 1 + SEED_SPREAD : 1 - SEED_SPREAD;
                    train(b, lr, SEEDS[s], ref, SLOWER[lr] * stepsToTarget(b) * seedFactor, index++);
                }
            }
        }
    }

    /** S(B) = S_min (1 + B_crit / B): the constructed steps to target at the best learning rate. */
    public static double stepsToTarget(int batchSize) {
        return S_MIN * (1 + B_CRIT / batchSize);
    }

    /** 0.05 at B = 16, growing as sqrt(B). */
    public static double bestLearningRate(int batchSize) {
        return 0.05 * Math.sqrt(batchSize / 16.0);
    }

    public RecordedStream status() {
        return RecordedStream.of(status);
    }

    public RecordedStream metrics() {
        return RecordedStream.of(metrics);
    }

    public int runs() {
        return BATCH_SIZES.length * LR_FACTORS.length * SEEDS.length;
    }

    /** Runs that ended before their budget: reached-target and pruned. */
    public int earlyStops() {
        return earlyStops;
    }

    /** Iterations over all runs, for a reader to know when the service has applied all of them. */
    public long iterations() {
        return iterations;
    }

    /** Events on both topics. */
    public int events() {
        return status.size() + metrics.size();
    }

    /**
     * One run: linear fall of the loss to the target at {@code crossing} steps, then (only a completed run goes on)
     * a loss below the target.
     */
    private void train(int b, int lrIndex, long seed, SweepRef ref, double crossing, int index) {
        String run = "tu-b" + b + "-lr" + lrIndex + "-s" + seed;
        double lr = bestLearningRate(b) * LR_FACTORS[lrIndex];
        int budget = (int) Math.round(2 * stepsToTarget(b));
        Instant queuedAt = start.plusMillis(index);
        RunSpec spec = new RunSpec(new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, TRAIN_SAMPLES + 1024, 0.111, 16, 4,
                1.0, null, null), new ModelSpec(ModelType.MLP, List.of(64, 32), null, null), null, null,
                BatchSize.of(b), LearningRateSpec.constant(lr), BudgetSpec.steps(budget), seed, null, null, TARGET,
                null, true);
        status(new RunStatusChanged(Event.SCHEMA_VERSION, run, SWEEP, queuedAt, RunState.QUEUED, 0, null, null,
                null, null, spec, ref, null, null));
        status(new RunStatusChanged(Event.SCHEMA_VERSION, run, SWEEP, queuedAt.plusMillis(1), RunState.RUNNING, 1,
                "trainer-a", b, lr, null, spec, ref, null, null));
        boolean pruned = SLOWER[lrIndex] > 1.5;
        // the scheduler's step cap: 1.5 S, short of this learning rate's crossing
        long last = pruned ? Math.round(1.5 * stepsToTarget(b)) : budget;
        double slope = (START_LOSS - TARGET) / crossing;
        TargetCrossing criterion = new TargetCrossing(TARGET);
        long it = 0;
        while (it < last) {
            it++;
            double loss = criterion.reached() ? 0.8 * TARGET : TARGET + slope * (crossing - it);
            iteration(run, b, lr, it, loss, queuedAt);
            // stopAtTarget: the best learning rate's runs stop as soon as the trainer's criterion holds
            if (criterion.add(loss) && lrIndex == 1) {
                break;
            }
        }
        iterations += it;
        RunOutcome outcome = pruned ? RunOutcome.PRUNED : lrIndex == 1 ? RunOutcome.REACHED_TARGET
                : RunOutcome.COMPLETED;
        if (it < budget) {
            earlyStops++;
        }
        Long reachedAt = criterion.crossedAt().isPresent() ? criterion.crossedAt().getAsLong() : null;
        status(new RunStatusChanged(Event.SCHEMA_VERSION, run, SWEEP, at(queuedAt, it + 1), outcome.state(), 1,
                "trainer-a", b, lr, null, spec, ref, outcome, reachedAt));
    }

    /** Every {@value #NOISE_EVERY} iterations a noise measurement with traceSigma / |G|^2 = B_simple. */
    private void iteration(String run, int b, double lr, long it, double loss, Instant queuedAt) {
        NoiseMeasurement noise = null;
        if (it % NOISE_EVERY == 0) {
            int k = 4;
            int micro = b / k;
            // |G|^2 shrinks as training goes on; traceSigma follows it so the ratio stays put
            double gradNormSq = 0.01 + 0.1 / it;
            double traceSigma = NOISE_SCALE * gradNormSq;
            noise = new NoiseMeasurement(k, micro, traceSigma / micro, traceSigma, gradNormSq, NOISE_SCALE);
        }
        int stepsPerEpoch = TRAIN_SAMPLES / b;
        metrics(run, new IterationMetrics(Event.SCHEMA_VERSION, run, SWEEP, at(queuedAt, it), 1, it,
                (int) ((it - 1) / stepsPerEpoch), it * b, loss, 1.0, lr, it * 5, b / 0.005, noise));
    }

    private static Instant at(Instant queuedAt, long it) {
        return queuedAt.plusMillis(10 + it * 5);
    }

    private void status(RunStatusChanged event) {
        status.add(new RecordedStream.Record(event.runId(), EventJson.write(event)));
    }

    private void metrics(String run, Event event) {
        metrics.add(new RecordedStream.Record(run, EventJson.write(event)));
    }
}

package dev.batchscope.metrics.engine;

import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.study.TargetCrossing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunMetricsTest {
    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    private static double lossAt(long it, int attempt) {
        // attempt 1 and 2 differ after the checkpoint: a trainer is not bit-for-bit deterministic
        return 2.0 / Math.sqrt(it) + 0.1 * Math.sin(it * 0.7) + (attempt == 1 ? 0.0 : 0.001 * it);
    }

    private static NoiseMeasurement noiseAt(long it) {
        return it % 10 == 0 ? Events.noise(4.0 + Math.cos(it), 0.5 - it / 1000.0) : null;
    }

    @Test
    void smoothsLossAndNoiseLikeTheTextbookEma() {
        RunMetrics m = new RunMetrics(SETTINGS);
        double ema = Double.NaN;
        double ts = Double.NaN;
        double gn = Double.NaN;
        for (long it = 1; it <= 200; it++) {
            NoiseMeasurement n = noiseAt(it);
            m.apply(Events.iteration("r", 1, it, lossAt(it, 1), n));
            double l = lossAt(it, 1);
            ema = Double.isNaN(ema) ? l : ema + 0.1 * (l - ema);
            if (n != null) {
                ts = Double.isNaN(ts) ? n.traceSigma() : ts + 0.2 * (n.traceSigma() - ts);
                gn = Double.isNaN(gn) ? n.gradNormSqUnbiased() : gn + 0.2 * (n.gradNormSqUnbiased() - gn);
            }
        }
        assertEquals(ema, m.lossEma(), 0.0);
        assertEquals(ts / gn, m.noiseScale(), 0.0);
        assertEquals(lossAt(200, 1), m.loss(), 0.0);
        assertEquals(200, m.iteration());
        assertEquals(200 * 32, m.samplesSeen());
        assertEquals(noiseAt(200).gradVariance(), m.gradVariance(), 0.0);
        assertEquals(20, m.noise().size());
        assertEquals(200, m.iterations().size());
    }

    @Test
    void redeliveredAndStaleEventsChangeNothing() {
        RunMetrics m = new RunMetrics(SETTINGS);
        for (long it = 1; it <= 50; it++) {
            assertEquals(RunMetrics.Outcome.APPLIED, m.apply(Events.iteration("r", 1, it, lossAt(it, 1))));
        }
        double ema = m.lossEma();
        assertEquals(RunMetrics.Outcome.DUPLICATE, m.apply(Events.iteration("r", 1, 17, 99.0)));
        assertEquals(RunMetrics.Outcome.DUPLICATE, m.apply(Events.iteration("r", 1, 50, 99.0)));
        assertEquals(ema, m.lossEma(), 0.0);
        assertEquals(50, m.iterations().size());
        assertEquals(RunMetrics.Outcome.RESUMED, m.apply(Events.iteration("r", 2, 41, lossAt(41, 2))));
        assertEquals(RunMetrics.Outcome.STALE_ATTEMPT, m.apply(Events.iteration("r", 1, 51, 99.0)));
        assertEquals(41, m.iteration());
    }

    @Test
    void resumedRunMatchesUninterruptedRun() {
        RunMetrics straight = new RunMetrics(SETTINGS);
        RunMetrics resumed = new RunMetrics(SETTINGS);
        straight.target(0.6);
        resumed.target(0.6);
        for (long it = 1; it <= 300; it++) {
            straight.apply(Events.iteration("a", 1, it, lossAt(it, 2), noiseAt(it)));
            if (it % 100 == 0) {
                straight.apply(Events.eval("a", 1, (int) (it / 100), it, 0.5, 0.7 - it / 1000.0, 0.8));
            }
        }
        // attempt 1 gets to iteration 170 (with an evaluation at 100), dies; the checkpoint was at 150
        for (long it = 1; it <= 170; it++) {
            double loss = it <= 150 ? lossAt(it, 2) : lossAt(it, 1) + 5;
            resumed.apply(Events.iteration("a", 1, it, loss, noiseAt(it)));
            if (it % 100 == 0) {
                resumed.apply(Events.eval("a", 1, 1, it, 0.5, 0.7 - it / 1000.0, 0.8));
            }
        }
        for (long it = 151; it <= 300; it++) {
            resumed.apply(Events.iteration("a", 2, it, lossAt(it, 2), noiseAt(it)));
            if (it % 100 == 0) {
                resumed.apply(Events.eval("a", 2, (int) (it / 100), it, 0.5, 0.7 - it / 1000.0, 0.8));
            }
        }
        assertFalse(resumed.resumedApproximately());
        assertEquals(straight.lossEma(), resumed.lossEma(), 0.0);
        assertEquals(straight.noiseScale(), resumed.noiseScale(), 0.0);
        assertEquals(straight.lossVolatility(), resumed.lossVolatility(), 0.0);
        assertEquals(straight.valLoss(), resumed.valLoss(), 0.0);
        assertEquals(straight.targetHit(), resumed.targetHit());
        assertTrue(straight.targetHit() != null, "the comparison needs a crossing");
        assertSameSeries(straight.iterations(), resumed.iterations(), 4);
        assertSameSeries(straight.noise(), resumed.noise(), 2);
        assertSameSeries(straight.validations(), resumed.validations(), 3);
        assertEquals(2, resumed.attempt());
    }

    private static void assertSameSeries(ShapeSeries expected, ShapeSeries actual, int columns) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.step(i), actual.step(i));
            assertEquals(expected.samples(i), actual.samples(i));
            for (int c = 0; c < columns; c++) {
                assertEquals(expected.value(i, c), actual.value(i, c), 0.0, "column " + c + " at " + i);
            }
        }
    }

    @Test
    void targetIsTheTrainersCrossingWithLagCorrectedSteps() {
        RunMetrics m = new RunMetrics(SETTINGS);
        m.target(1.0);
        TargetCrossing trainer = new TargetCrossing(1.0);
        for (long it = 1; it <= 400; it++) {
            double l = lossAt(it, 1);
            trainer.add(l);
            m.apply(Events.iteration("r", 1, it, l));
        }
        long crossedAt = trainer.crossedAt().orElseThrow();
        assertEquals(crossedAt, m.targetHit().step());
        assertEquals(TargetCrossing.stepsToTarget(crossedAt), m.targetHit().stepsToTarget(), 0.0);
        assertTrue(m.targetHit().stepsToTarget() < crossedAt, "the smoothing lag comes off");
        assertEquals(TargetCrossing.samplesToTarget(crossedAt, 32), m.targetHit().samplesToTarget(), 1e-9);
        assertEquals(crossedAt * 5, m.targetHit().elapsedMs());
    }

    @Test
    void aCrossingAfterTheResumePointIsDroppedAndFoundAgainByTheResumedAttempt() {
        RunMetrics straight = new RunMetrics(SETTINGS);
        RunMetrics resumed = new RunMetrics(SETTINGS);
        straight.target(1.0);
        resumed.target(1.0);
        for (long it = 1; it <= 300; it++) {
            straight.apply(Events.iteration("r", 1, it, 2 - 0.01 * it));
        }
        // attempt 1 plunges after its checkpoint at 60 and crosses early; attempt 2 re-sends from 61
        for (long it = 1; it <= 80; it++) {
            resumed.apply(Events.iteration("r", 1, it, it <= 60 ? 2 - 0.01 * it : 0.0));
        }
        assertTrue(resumed.targetHit().step() <= 80);
        for (long it = 61; it <= 300; it++) {
            resumed.apply(Events.iteration("r", 2, it, 2 - 0.01 * it));
        }
        assertEquals(straight.targetHit(), resumed.targetHit());
    }

    @Test
    void onALinearlyFallingLossTheStepsAreWhereTheLossItselfCrossed() {
        // loss 2 - 0.01 t reaches 1.0 at t = 100; the smoothed loss only about 9 iterations later
        RunMetrics m = new RunMetrics(SETTINGS);
        m.target(1.0);
        for (long it = 1; it <= 300; it++) {
            m.apply(Events.iteration("r", 1, it, 2 - 0.01 * it));
        }
        assertTrue(m.targetHit().step() >= 105, "crossed late: " + m.targetHit().step());
        assertEquals(100, m.targetHit().stepsToTarget(), 1.0);
        assertEquals(100 * 32, m.targetHit().samplesToTarget(), 32.0);
    }

    @Test
    void noiseScaleAtTheTargetIsTheSmoothedOneAtTheCrossing() {
        RunMetrics m = new RunMetrics(SETTINGS);
        m.target(1.0);
        double atCrossing = Double.NaN;
        for (long it = 1; it <= 300; it++) {
            m.apply(Events.iteration("r", 1, it, 2 - 0.01 * it, noiseAt(it)));
            if (m.targetHit() != null && Double.isNaN(atCrossing)) {
                atCrossing = m.noiseScale();
            }
        }
        assertTrue(Double.isFinite(atCrossing));
        assertEquals(atCrossing, m.noiseScaleAt(m.targetHit().step()), 0.0);
        assertTrue(atCrossing != m.noiseScale(), "the latest noise scale is another one");
    }

    @Test
    void targetLearnedAfterThePointsStillFindsTheFirstCrossing() {
        RunMetrics early = new RunMetrics(SETTINGS);
        RunMetrics late = new RunMetrics(SETTINGS);
        early.target(0.9);
        for (long it = 1; it <= 400; it++) {
            early.apply(Events.iteration("r", 1, it, lossAt(it, 1)));
            late.apply(Events.iteration("r", 1, it, lossAt(it, 1)));
        }
        assertNull(late.targetHit());
        late.target(0.9);
        assertEquals(early.targetHit(), late.targetHit());
    }

    @Test
    void volatilityIsTheSpreadOfTheLossAroundItsEma() {
        RunMetrics m = new RunMetrics(SETTINGS);
        double ema = Double.NaN;
        double[] residuals = new double[400];
        for (int it = 1; it <= 400; it++) {
            double l = lossAt(it, 1);
            ema = Double.isNaN(ema) ? l : ema + 0.1 * (l - ema);
            residuals[it - 1] = l - ema;
            m.apply(Events.iteration("r", 1, it, l));
        }
        double mean = 0;
        for (int i = 300; i < 400; i++) {
            mean += residuals[i] / 100;
        }
        double ss = 0;
        for (int i = 300; i < 400; i++) {
            ss += (residuals[i] - mean) * (residuals[i] - mean);
        }
        assertEquals(Math.sqrt(ss / 99), m.lossVolatility(), 1e-12);
    }

    @Test
    void targetOnTheValidationLossWhenConfigured() {
        RunMetrics m = new RunMetrics(SETTINGS.withTarget(EngineSettings.TargetSource.VAL_LOSS, null));
        // validation losses 0.875, 0.75, 0.625, 0.5 at iterations 25, 50, 75, 100
        m.target(0.63);
        for (long it = 1; it <= 100; it++) {
            // the training loss is below the target from the start; only the validation loss counts
            m.apply(Events.iteration("r", 1, it, 0.1));
            if (it % 25 == 0) {
                m.apply(Events.eval("r", 1, (int) (it / 25), it, 0.1, 1.0 - it / 200.0, 0.7));
            }
        }
        assertEquals(new RunMetrics.TargetHit(75, 75.0, 75 * 32, 75 * 5), m.targetHit());
    }

    @Test
    void learnsStepsPerEpochFromTheFirstEpoch() {
        RunMetrics m = new RunMetrics(SETTINGS);
        for (long it = 1; it <= 25; it++) {
            m.apply(Events.iteration("r", 1, it, 1.0));
        }
        // Events.iteration puts 10 iterations in each epoch
        assertEquals(10L, m.stepsPerEpoch());
    }
}

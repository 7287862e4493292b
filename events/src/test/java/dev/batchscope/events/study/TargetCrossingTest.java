package dev.batchscope.events.study;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetCrossingTest {
    private static final double A = TargetCrossing.ALPHA;

    /** The lag by its definition, summed term by term. */
    private static double lagBySum(long t) {
        double weighted = 0;
        double weights = 0;
        for (long k = 0; k < t; k++) {
            double w = A * Math.pow(1 - A, k);
            weighted += k * w;
            weights += w;
        }
        return weighted / weights;
    }

    @Test
    void lagIsTheMeanAgeOfTheWeights() {
        assertEquals(0.0, TargetCrossing.lag(1), 1e-15);
        for (long t : new long[]{1, 2, 3, 5, 10, 37, 100, 1000}) {
            assertEquals(lagBySum(t), TargetCrossing.lag(t), 1e-9, "t = " + t);
        }
        // (1 - a) / a: the "about 9 steps" every uncorrected steps-to-target carries
        assertEquals(9.0, TargetCrossing.lag(1_000_000), 1e-9);
        assertEquals(0.9 / 1.9, TargetCrossing.lag(2), 1e-15, "ages 0 and 1 weigh a and a(1-a)");
    }

    @Test
    void onALinearLossTheSmoothedLossIsTheLossLagStepsAgo() {
        double start = 2.0;
        double slope = 0.01;
        TargetCrossing crossing = new TargetCrossing(-100);
        for (long t = 1; t <= 300; t++) {
            crossing.add(start - slope * t);
            double expected = start - slope * (t - TargetCrossing.lag(t));
            assertEquals(expected, crossing.smoothed(), 1e-12, "t = " + t);
        }
    }

    @Test
    void linearLossGivesTheExactCrossing() {
        double start = 2.0;
        double slope = 0.01;
        long t0 = 80;
        // the target the line reaches at step S0 = t0 - lag(t0): where the loss itself crosses, a fraction of a step
        double s0 = t0 - TargetCrossing.lag(t0);
        double target = start - slope * s0 + 1e-12;
        TargetCrossing crossing = new TargetCrossing(target);
        long firstTrue = 0;
        for (long t = 1; t <= 200; t++) {
            if (crossing.add(start - slope * t)) {
                firstTrue = t;
            }
        }
        assertEquals(t0, firstTrue, "add() says true once, at the crossing");
        assertEquals(t0, crossing.crossedAt().orElseThrow());
        assertEquals(s0, TargetCrossing.stepsToTarget(t0), 1e-9, "the lag-corrected steps are where the loss crossed");
        assertEquals(s0 * 64, TargetCrossing.samplesToTarget(t0, 64), 1e-6);
        // uncorrected, the same run would report about 9 more steps
        assertTrue(t0 - s0 > 8.5 && t0 - s0 < 9.0, "lag at 80 = " + (t0 - s0));
    }

    @Test
    void correctedStepsAreWithinOneStepOfTheTrueCrossingForAnyTarget() {
        double start = 3.0;
        double slope = 0.013;
        for (double target = 2.9; target > 0.5; target -= 0.0731) {
            TargetCrossing crossing = new TargetCrossing(target);
            for (long t = 1; !crossing.reached(); t++) {
                crossing.add(start - slope * t);
            }
            double exact = (start - target) / slope;
            double corrected = TargetCrossing.stepsToTarget(crossing.crossedAt().orElseThrow());
            assertTrue(corrected >= exact - 1e-9 && corrected < exact + 1, "target " + target + ": exact " + exact
                    + ", corrected " + corrected);
        }
    }

    @Test
    void biasCorrectionMakesAConstantLossItsOwnAverage() {
        TargetCrossing crossing = new TargetCrossing(0.5);
        crossing.add(0.7);
        assertEquals(0.7, crossing.smoothed(), 1e-15, "no pull towards the zero start");
        assertFalse(crossing.reached());
        for (int i = 0; i < 50; i++) {
            crossing.add(0.7);
        }
        assertEquals(0.7, crossing.smoothed(), 1e-12);
        assertFalse(crossing.reached());
    }

    @Test
    void resumedFromItsStateItMatchesAnUninterruptedPass() {
        Random random = new Random(7);
        double[] losses = new double[400];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = 2.5 * Math.exp(-i / 90.0) + 0.3 * random.nextGaussian();
        }
        TargetCrossing uninterrupted = new TargetCrossing(0.6);
        for (double loss : losses) {
            uninterrupted.add(loss);
        }
        for (int cut : new int[]{1, 57, 133, 399}) {
            TargetCrossing first = new TargetCrossing(0.6);
            for (int i = 0; i < cut; i++) {
                first.add(losses[i]);
            }
            TargetCrossing.State saved = first.state();
            TargetCrossing resumed = new TargetCrossing(0.6, new TargetCrossing.State(saved.iterations(),
                    saved.biasedEma(), saved.crossedAt()));
            for (int i = cut; i < losses.length; i++) {
                resumed.add(losses[i]);
            }
            assertEquals(uninterrupted.state(), resumed.state(), "cut at " + cut);
            assertEquals(uninterrupted.smoothed(), resumed.smoothed(), 0.0);
        }
        assertTrue(uninterrupted.reached(), "the noisy decay reaches 0.6");
    }
}

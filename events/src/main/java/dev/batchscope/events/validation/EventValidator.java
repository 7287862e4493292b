package dev.batchscope.events.validation;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.RunStepCap;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.events.spec.SweepSpec;

import java.util.Set;

/** The rules every event must pass before a consumer acts on it. */
public final class EventValidator {
    public static final Set<Integer> SUPPORTED_SCHEMA_VERSIONS = Set.of(Event.SCHEMA_VERSION);
    private static final int MAX_REASON = 2000;
    private static final double MAX_METRIC = 1e30;
    /** A step cap is at most the largest margin times the longest budget. */
    public static final long MAX_STEP_CAP = (long) PruningSpec.MAX_MARGIN * BudgetSpec.MAX_STEPS;

    private EventValidator() {
    }

    public static void requireValid(Event event) {
        Violations v = new Violations();
        validate(event, v);
        v.throwIfAny();
    }

    public static void validate(Event e, Violations v) {
        if (v.required(e.schemaVersion(), "schemaVersion")) {
            v.check(SUPPORTED_SCHEMA_VERSIONS.contains(e.schemaVersion()), "schemaVersion",
                    "version " + e.schemaVersion() + " is not supported; supported: " + SUPPORTED_SCHEMA_VERSIONS);
        }
        v.matches(e.runId(), "runId", SpecValidator.NAME, SpecValidator.NAME_RULE);
        v.matches(e.sweepId(), "sweepId", SpecValidator.NAME, SpecValidator.NAME_RULE);
        v.required(e.emittedAt(), "emittedAt");
        if (e instanceof RunRequested r) {
            validateRequest(r, v);
        } else if (e instanceof RunStatusChanged s) {
            validateStatus(s, v);
        } else if (e instanceof IterationMetrics m) {
            validateIteration(m, v);
        } else if (e instanceof EpochMetrics m) {
            validateEpoch(m, v);
        } else if (e instanceof RunCancelled c) {
            checkReason(c.reason(), v);
        } else if (e instanceof RunStepCap cap) {
            v.intRange(cap.maxIterations(), "maxIterations", 1, MAX_STEP_CAP);
            checkReason(cap.reason(), v);
        }
    }

    private static void validateRequest(RunRequested r, Violations v) {
        if (v.required(r.run(), "run")) {
            SpecValidator.validate(r.run(), v.at("run"));
        }
        validateSweepRef(r.sweep(), v);
    }

    private static void validateStatus(RunStatusChanged s, Violations v) {
        v.check(s.state() != null, "state", "must be one of " + java.util.Arrays.toString(RunState.values()));
        v.intRange(s.attempt(), "attempt", 0, 1_000_000);
        v.optionalIntRange(s.effectiveBatchSize(), "effectiveBatchSize", 1, Integer.MAX_VALUE);
        v.optionalFinite(s.effectiveLearningRate(), "effectiveLearningRate", 0, 1e6);
        if (s.trainerId() != null) {
            v.check(s.trainerId().length() <= 256, "trainerId", "must be at most 256 characters");
        }
        checkReason(s.reason(), v);
        if (s.outcome() != null && s.state() != null) {
            // records written before outcomes existed have none, so a terminal state without one is allowed
            v.check(s.outcome().state() == s.state(), "outcome", s.outcome().wire() + " is an outcome of "
                    + s.outcome().state() + ", not of " + s.state() + "; only terminal statuses carry an outcome");
        }
        v.optionalIntRange(s.reachedTargetAt(), "reachedTargetAt", 1, Long.MAX_VALUE);
        if (s.run() != null) {
            SpecValidator.validate(s.run(), v.at("run"));
        }
        validateSweepRef(s.sweep(), v);
    }

    private static void validateSweepRef(SweepRef ref, Violations root) {
        if (ref == null) {
            return;
        }
        Violations v = root.at("sweep");
        v.matches(ref.name(), "name", SpecValidator.NAME, SpecValidator.NAME_RULE);
        v.intRange(ref.runCount(), "runCount", 1, SweepSpec.MAX_RUNS);
        v.intRange(ref.runIndex(), "runIndex", 0, SweepSpec.MAX_RUNS - 1);
        if (ref.pruning() != null) {
            SpecValidator.validatePruningRule(ref.pruning(), v.at("pruning"));
        }
        if (ref.idempotencyKey() != null) {
            v.check(ref.idempotencyKey().length() <= 256, "idempotencyKey", "must be at most 256 characters");
        }
    }

    private static void validateIteration(IterationMetrics m, Violations v) {
        v.intRange(m.attempt(), "attempt", 1, 1_000_000);
        v.intRange(m.iteration(), "iteration", 1, Long.MAX_VALUE);
        v.intRange(m.epoch(), "epoch", 0, Integer.MAX_VALUE);
        v.intRange(m.samplesSeen(), "samplesSeen", 0, Long.MAX_VALUE);
        v.finite(m.loss(), "loss", -MAX_METRIC, MAX_METRIC);
        v.finite(m.gradNorm(), "gradNorm", 0, MAX_METRIC);
        v.finite(m.learningRate(), "learningRate", 0, MAX_METRIC);
        v.intRange(m.elapsedMs(), "elapsedMs", 0, Long.MAX_VALUE);
        v.finite(m.samplesPerSecond(), "samplesPerSecond", 0, MAX_METRIC);
        NoiseMeasurement n = m.noise();
        if (n != null) {
            Violations nv = v.at("noise");
            if (n.method() == NoiseMethod.PER_EXAMPLE) {
                // per-example: one "micro-batch" per example of the batch
                nv.intRange(n.microBatches(), "microBatches", 2, Integer.MAX_VALUE);
                nv.intRange(n.microBatchSize(), "microBatchSize", 1, 1);
            } else {
                nv.intRange(n.microBatches(), "microBatches", 2, SpecValidator.MAX_MICRO_BATCHES);
                nv.intRange(n.microBatchSize(), "microBatchSize", 1, Integer.MAX_VALUE);
            }
            nv.finite(n.gradVariance(), "gradVariance", 0, MAX_METRIC);
            nv.finite(n.traceSigma(), "traceSigma", 0, MAX_METRIC);
            nv.finite(n.gradNormSqUnbiased(), "gradNormSqUnbiased", -MAX_METRIC, MAX_METRIC);
            nv.optionalFinite(n.noiseScale(), "noiseScale", -MAX_METRIC, MAX_METRIC);
        }
    }

    private static void validateEpoch(EpochMetrics m, Violations v) {
        v.intRange(m.attempt(), "attempt", 1, 1_000_000);
        v.intRange(m.epoch(), "epoch", 0, Integer.MAX_VALUE);
        v.intRange(m.iteration(), "iteration", 0, Long.MAX_VALUE);
        v.intRange(m.samplesSeen(), "samplesSeen", 0, Long.MAX_VALUE);
        v.finite(m.trainLoss(), "trainLoss", -MAX_METRIC, MAX_METRIC);
        v.finite(m.valLoss(), "valLoss", -MAX_METRIC, MAX_METRIC);
        v.optionalFinite(m.valAccuracy(), "valAccuracy", 0, 1);
        v.intRange(m.elapsedMs(), "elapsedMs", 0, Long.MAX_VALUE);
    }

    private static void checkReason(String reason, Violations v) {
        if (reason != null) {
            v.check(reason.length() <= MAX_REASON, "reason", "must be at most " + MAX_REASON + " characters");
        }
    }
}

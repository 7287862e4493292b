package dev.batchscope.events;

import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;

import java.time.Instant;

/**
 * A run's state changed.
 *
 * @param attempt               1 for the first delivery of the run, +1 for each resume
 * @param trainerId             the trainer instance that holds the run (null while QUEUED)
 * @param effectiveBatchSize    examples per step once the dataset is known ("full" resolved)
 * @param effectiveLearningRate the peak learning rate after batch-size scaling
 * @param reason                human text: why a run ended as it did (never parsed; decide by state and outcome)
 * @param run                   the run's spec, so status readers need no other topic
 * @param sweep                 the run's sweep
 * @param outcome               why the run ended: set on every terminal status, null otherwise
 * @param reachedTargetAt       the iteration at which the target criterion (TargetCrossing) first held; null when
 *                              not reached
 */
public record RunStatusChanged(Integer schemaVersion, String runId, String sweepId, Instant emittedAt,
                               RunState state, Integer attempt, String trainerId,
                               Integer effectiveBatchSize, Double effectiveLearningRate, String reason,
                               RunSpec run, SweepRef sweep, RunOutcome outcome, Long reachedTargetAt) implements Event {

    public static RunStatusChanged queued(RunRequested request) {
        return new RunStatusChanged(SCHEMA_VERSION, request.runId(), request.sweepId(), Instant.now(),
                RunState.QUEUED, 0, null, null, null, null, request.run(), request.sweep(), null, null);
    }

    /** The same run in another state that is not terminal, emitted now. */
    public RunStatusChanged next(RunState newState, int newAttempt, String newTrainerId, String newReason) {
        if (newState.terminal()) {
            throw new IllegalArgumentException(newState + " is terminal: use ended(outcome, ...)");
        }
        return new RunStatusChanged(SCHEMA_VERSION, runId, sweepId, Instant.now(), newState, newAttempt,
                newTrainerId, effectiveBatchSize, effectiveLearningRate, newReason, run, sweep, null, reachedTargetAt);
    }

    /** The same run ended with {@code newOutcome} (its state follows from it), emitted now. */
    public RunStatusChanged ended(RunOutcome newOutcome, int newAttempt, String newTrainerId, String newReason) {
        return new RunStatusChanged(SCHEMA_VERSION, runId, sweepId, Instant.now(), newOutcome.state(), newAttempt,
                newTrainerId, effectiveBatchSize, effectiveLearningRate, newReason, run, sweep, newOutcome,
                reachedTargetAt);
    }

    /** The same status, saying the target criterion first held at {@code iteration}. */
    public RunStatusChanged withReachedTargetAt(Long iteration) {
        return new RunStatusChanged(schemaVersion, runId, sweepId, emittedAt, state, attempt, trainerId,
                effectiveBatchSize, effectiveLearningRate, reason, run, sweep, outcome, iteration);
    }

    public RunStatusChanged withEffective(int batchSize, double learningRate) {
        return new RunStatusChanged(schemaVersion, runId, sweepId, emittedAt, state, attempt, trainerId,
                batchSize, learningRate, reason, run, sweep, outcome, reachedTargetAt);
    }
}

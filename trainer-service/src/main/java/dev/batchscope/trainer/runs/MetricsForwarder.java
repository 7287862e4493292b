package dev.batchscope.trainer.runs;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.RunRequested;
import dev.batchscope.trainer.engine.IterationRecord;
import dev.batchscope.trainer.engine.TrainingListener;
import dev.batchscope.trainer.engine.ValidationRecord;
import dev.batchscope.trainer.kafka.RunEventPublisher;

import java.time.Instant;

/** Turns the engine's progress into IterationMetrics and EpochMetrics events of one attempt. */
final class MetricsForwarder implements TrainingListener {
    private final RunRequested request;
    private final int attempt;
    private final RunEventPublisher.MetricsStream stream;

    MetricsForwarder(RunRequested request, int attempt, RunEventPublisher.MetricsStream stream) {
        this.request = request;
        this.attempt = attempt;
        this.stream = stream;
    }

    @Override
    public void iteration(IterationRecord r) {
        stream.publish(new IterationMetrics(Event.SCHEMA_VERSION, request.runId(), request.sweepId(), Instant.now(), attempt,
                r.iteration(), r.epoch(), r.samplesSeen(), r.loss(), r.gradNorm(), r.learningRate(), r.elapsedMs(),
                r.samplesPerSecond(), r.noise()));
    }

    /** Waits for Kafka to acknowledge this attempt's events so far: the checkpoint that follows vouches for them. */
    @Override
    public boolean delivered(long iteration) {
        return stream.await();
    }

    @Override
    public void validated(ValidationRecord r) {
        stream.publish(new EpochMetrics(Event.SCHEMA_VERSION, request.runId(), request.sweepId(), Instant.now(), attempt,
                r.epoch(), r.iteration(), r.samplesSeen(), r.trainLoss(), r.valLoss(), r.valAccuracy(), r.elapsedMs()));
    }
}

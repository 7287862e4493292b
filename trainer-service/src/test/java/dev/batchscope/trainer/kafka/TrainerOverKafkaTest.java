package dev.batchscope.trainer.kafka;

import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunCancelled;
import dev.batchscope.events.RunRequested;
import dev.batchscope.events.RunStatusChanged;
import dev.batchscope.events.RunStepCap;
import dev.batchscope.events.SweepRef;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.Activation;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseMethod;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WeightInit;
import dev.batchscope.events.study.TargetCrossing;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import dev.batchscope.trainer.engine.CheckpointStore;
import dev.batchscope.trainer.engine.IterationRecord;
import dev.batchscope.trainer.engine.RunControl;
import dev.batchscope.trainer.engine.Trainer;
import dev.batchscope.trainer.engine.TrainingListener;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.runs.RunDirectory;
import dev.batchscope.trainer.runs.RunRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The trainer over a real broker: run requests in, status and metrics out, through the service's own channels.
 * The test profile sets max.poll.interval.ms to 4 s, so the long-run test also shows that training far longer
 * than that keeps the partition.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TrainerOverKafkaTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static TopicRecorder recorder;
    private static KafkaProducer<String, byte[]> producer;

    KafkaBroker broker;

    @Inject
    @Identifier(TrainerChannels.REBALANCE_LISTENER)
    RunHandoffListener handoff;

    @ConfigProperty(name = "batchscope.checkpoint-dir")
    Path checkpointDir;

    @Inject
    RunRegistry registry;

    @BeforeEach
    void connect() {
        if (recorder == null) {
            recorder = new TopicRecorder(broker.consumerProps("test-recorder-" + UUID.randomUUID()),
                    List.of(Topics.RUNS_STATUS, Topics.METRICS, Topics.DLQ));
            producer = new KafkaProducer<>(broker.producerProps());
        }
    }

    @AfterAll
    static void disconnect() {
        if (recorder != null) {
            recorder.close();
            producer.close();
            recorder = null;
        }
    }

    @Test
    void runRequestIsTrainedIntoRunningContiguousIterationsEpochsAndSucceeded() {
        String runId = newRunId("ok");
        RunSpec spec = blobsSpec(BatchSize.of(32), BudgetSpec.epochs(2), new CheckpointSpec(0, 0));
        send(Topics.RUNS_REQUESTED, runId, EventJson.write(request(runId, spec)));
        RunStatusChanged done = awaitFinalStatus(runId);

        assertEquals(RunState.SUCCEEDED, done.state(), "reason: " + done.reason());
        assertEquals(RunOutcome.COMPLETED, done.outcome());
        assertNull(done.reachedTargetAt(), "no target loss");
        List<RunStatusChanged> statuses = recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class);
        assertNull(statuses.get(0).outcome(), "only terminal statuses carry an outcome");
        RunStatusChanged running = statuses.get(0);
        assertEquals(RunState.RUNNING, running.state());
        assertEquals(1, running.attempt());
        assertEquals(32, running.effectiveBatchSize());
        assertEquals(0.05 * 32 / 16, running.effectiveLearningRate(), 1e-12, "linear scaling from base batch 16");
        assertNotNull(running.trainerId());
        assertEquals(spec, running.run());
        assertEquals(1, done.attempt());

        awaitUntil(() -> recorder.events(Topics.METRICS, runId, EpochMetrics.class).size() == 2, "two epoch events");
        List<IterationMetrics> iterations = recorder.events(Topics.METRICS, runId, IterationMetrics.class);
        assertEquals(LongStream.rangeClosed(1, 30).boxed().toList(), iterations.stream().map(IterationMetrics::iteration).toList(),
                "480 training rows / 32 = 15 iterations per epoch, numbered 1..30 without gaps");
        assertTrue(iterations.stream().allMatch(m -> m.attempt() == 1 && m.learningRate() > 0 && m.samplesPerSecond() > 0));
        assertEquals(List.of(5L, 10L, 15L, 20L, 25L, 30L), iterations.stream().filter(m -> m.noise() != null)
                .map(IterationMetrics::iteration).toList(), "noise every 5 iterations");
        NoiseMeasurement noise = iterations.get(4).noise();
        assertEquals(NoiseMethod.PER_EXAMPLE, noise.method(), "an mlp trains and measures on the dense path");
        assertEquals(32, noise.microBatches(), "one per example");
        assertEquals(1, noise.microBatchSize());
        assertEquals(32L * 30, iterations.get(29).samplesSeen());
        List<EpochMetrics> epochs = recorder.events(Topics.METRICS, runId, EpochMetrics.class);
        assertEquals(List.of(1, 2), epochs.stream().map(EpochMetrics::epoch).toList());
        assertEquals(List.of(15L, 30L), epochs.stream().map(EpochMetrics::iteration).toList());
        assertTrue(epochs.get(1).valAccuracy() > 0.5, "blobs are easy: " + epochs.get(1).valAccuracy());

        // delivered again after it finished (a lost offset commit): the outcome is repeated, nothing is retrained
        send(Topics.RUNS_REQUESTED, runId, EventJson.write(request(runId, spec)));
        awaitUntil(() -> recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class).size() == 3, "repeated status");
        List<RunStatusChanged> after = recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class);
        assertEquals(List.of(RunState.RUNNING, RunState.SUCCEEDED, RunState.SUCCEEDED), after.stream().map(RunStatusChanged::state).toList());
        assertEquals(1, after.get(2).attempt());
        assertEquals(RunOutcome.COMPLETED, after.get(2).outcome());
        assertEquals(30, recorder.events(Topics.METRICS, runId, IterationMetrics.class).size());
    }

    @Test
    void runsThatCannotBeTrainedFailWithTheirKindAndADivergingRunEndsDivergedAndTheConsumerGoesOn() {
        String tooLarge = newRunId("too-large");
        send(Topics.RUNS_REQUESTED, tooLarge, EventJson.write(request(tooLarge,
                blobsSpec(BatchSize.of(5000), BudgetSpec.epochs(1), new CheckpointSpec(0, 0)))));
        String missing = newRunId("missing-data");
        RunSpec cifar = new RunSpec(new DatasetSpec(DatasetKind.CIFAR_10, null, null, null, null, null,
                "nonexistent/cifar-10-batches-bin", null), ModelSpec.of(ModelType.LOGREG), LossFunction.CROSS_ENTROPY,
                OptimizerSpec.sgd(), BatchSize.of(32), LearningRateSpec.constant(0.1), BudgetSpec.epochs(1), 1L,
                NoiseSpec.OFF, null, null, null, null);
        send(Topics.RUNS_REQUESTED, missing, EventJson.write(request(missing, cifar)));
        String diverging = newRunId("nan");
        RunSpec nan = new RunSpec(new DatasetSpec(DatasetKind.SYNTHETIC_LINEAR, 500, null, 8, null, 1.0, null, null),
                new ModelSpec(ModelType.LINEAR, null, null, WeightInit.XAVIER), LossFunction.MSE, OptimizerSpec.sgd(),
                BatchSize.of(10), LearningRateSpec.constant(50.0), BudgetSpec.steps(10_000), 1L, NoiseSpec.OFF, null, null, null, null);
        send(Topics.RUNS_REQUESTED, diverging, EventJson.write(request(diverging, nan)));
        String good = newRunId("after-failures");
        send(Topics.RUNS_REQUESTED, good, EventJson.write(request(good,
                blobsSpec(BatchSize.of(64), BudgetSpec.steps(5), new CheckpointSpec(0, 0)))));

        RunStatusChanged failedLarge = awaitFinalStatus(tooLarge);
        assertEquals(RunState.FAILED, failedLarge.state());
        assertEquals(RunOutcome.INVALID_SPEC, failedLarge.outcome());
        assertEquals("batchSize: 5000 is larger than the training split of synthetic-blobs d=8 classes=3 (480 examples);"
                + " use at most 480 or \"full\"", failedLarge.reason());
        RunStatusChanged failedMissing = awaitFinalStatus(missing);
        assertEquals(RunState.FAILED, failedMissing.state());
        assertEquals(RunOutcome.DATA, failedMissing.outcome());
        assertTrue(failedMissing.reason().startsWith(
                "dataset.path: nonexistent/cifar-10-batches-bin does not exist on this trainer (looked in "),
                failedMissing.reason());
        RunStatusChanged diverged = awaitFinalStatus(diverging);
        assertEquals(RunState.DIVERGED, diverged.state());
        assertEquals(RunOutcome.DIVERGED, diverged.outcome());
        assertTrue(diverged.reason().matches("(loss|gradient) became (NaN|Infinity|-Infinity) at iteration \\d+ .*"),
                diverged.reason());
        assertEquals(RunState.SUCCEEDED, awaitFinalStatus(good).state());
        assertTrue(recorder.events(Topics.RUNS_STATUS, tooLarge).stream().noneMatch(e -> ((RunStatusChanged) e).state() == RunState.RUNNING));
    }

    @Test
    void malformedRecordsGoToTheDeadLetterQueueAndTheConsumerGoesOn() {
        String garbageKey = newRunId("garbage");
        send(Topics.RUNS_REQUESTED, garbageKey, "{\"type\":\"RunRequested\", this is not JSON".getBytes(StandardCharsets.UTF_8));
        String wrongTypeKey = newRunId("wrong-type");
        send(Topics.RUNS_REQUESTED, wrongTypeKey, EventJson.write(RunCancelled.of(wrongTypeKey, "sweep-1", "misrouted")));
        String controlGarbageKey = newRunId("control-garbage");
        send(Topics.RUNS_CONTROL, controlGarbageKey, "not an event".getBytes(StandardCharsets.UTF_8));
        String good = newRunId("after-garbage");
        send(Topics.RUNS_REQUESTED, good, EventJson.write(request(good,
                blobsSpec(BatchSize.of(64), BudgetSpec.steps(5), new CheckpointSpec(0, 0)))));

        assertEquals(RunState.SUCCEEDED, awaitFinalStatus(good).state());
        ConsumerRecord<String, byte[]> garbage = awaitDeadLetter(garbageKey);
        assertEquals(Topics.RUNS_REQUESTED, header(garbage, "dead-letter-topic"));
        assertNotNull(header(garbage, "dead-letter-reason"));
        assertNotNull(header(garbage, "dead-letter-offset"));
        assertEquals("{\"type\":\"RunRequested\", this is not JSON", new String(garbage.value(), StandardCharsets.UTF_8),
                "the DLQ keeps the original bytes");
        assertEquals(Topics.RUNS_CONTROL, header(awaitDeadLetter(controlGarbageKey), "dead-letter-topic"));
        ConsumerRecord<String, byte[]> wrongType = awaitDeadLetter(wrongTypeKey);
        assertTrue(header(wrongType, "dead-letter-reason").contains("expected RunRequested"), header(wrongType, "dead-letter-reason"));
    }

    @Test
    void cancelledRunStopsAndALongRunKeepsItsPartition() throws InterruptedException {
        long handOffsBefore = handoff.handOffs();
        String runId = newRunId("long");
        RunSpec endless = blobsSpec(BatchSize.of(16), BudgetSpec.steps(5_000_000), new CheckpointSpec(0, 0));
        send(Topics.RUNS_REQUESTED, runId, EventJson.write(request(runId, endless)));
        awaitUntil(() -> recorder.any(Topics.RUNS_STATUS, runId, e -> ((RunStatusChanged) e).state() == RunState.RUNNING), "RUNNING");

        // train for 2.5 x max.poll.interval.ms of the test profile
        Thread.sleep(10_000);
        int before = recorder.events(Topics.METRICS, runId, IterationMetrics.class).size();
        assertTrue(before > 10, "iterations keep coming: " + before);
        send(Topics.RUNS_CONTROL, runId, EventJson.write(RunCancelled.of(runId, "sweep-1", "cancelled by the test")));
        RunStatusChanged done = awaitFinalStatus(runId);

        assertEquals(RunState.CANCELLED, done.state());
        assertEquals(RunOutcome.CANCELLED, done.outcome());
        assertEquals("cancelled by the test", done.reason());
        assertEquals(1, done.attempt());
        assertEquals(handOffsBefore, handoff.handOffs(), "no rebalance took the run's partition away during the run");
        assertEquals(1, recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class).stream()
                .filter(s -> s.state() == RunState.RUNNING).count(), "trained once, never redelivered");
    }

    @Test
    void aRunStopsAtItsTargetAndACappedRunNotStartedYetStopsAtItsCap() {
        String reaching = newRunId("reaching");
        RunSpec easy = withTarget(blobsSpec(BatchSize.of(32), BudgetSpec.steps(5_000), new CheckpointSpec(0, 0)), 0.5);
        send(Topics.RUNS_REQUESTED, reaching, EventJson.write(request(reaching, easy)));
        String capped = newRunId("capped");
        send(Topics.RUNS_CONTROL, capped, EventJson.write(RunStepCap.of(capped, "sweep-1", 40, "the best reached at 27")));
        send(Topics.RUNS_CONTROL, capped, EventJson.write(RunStepCap.of(capped, "sweep-1", 90, "a higher cap changes nothing")));
        awaitUntil(() -> Long.valueOf(40).equals(registry.stepCap(capped)), "the cap heard before the run starts");
        RunSpec unreachable = withTarget(blobsSpec(BatchSize.of(32), BudgetSpec.steps(5_000), new CheckpointSpec(0, 0)), 1e-6);
        send(Topics.RUNS_REQUESTED, capped, EventJson.write(request(capped, unreachable)));

        RunStatusChanged reached = awaitFinalStatus(reaching);
        assertEquals(RunState.SUCCEEDED, reached.state(), "reason: " + reached.reason());
        assertEquals(RunOutcome.REACHED_TARGET, reached.outcome());
        long crossing = reached.reachedTargetAt();
        awaitUntil(() -> recorder.events(Topics.METRICS, reaching, IterationMetrics.class).size() == crossing, "every iteration");
        List<IterationMetrics> iterations = recorder.events(Topics.METRICS, reaching, IterationMetrics.class);
        TargetCrossing check = new TargetCrossing(0.5);
        iterations.forEach(m -> check.add(m.loss()));
        assertEquals(crossing, check.crossedAt().orElseThrow(), "the crossing of the published losses");
        assertTrue(crossing < 5_000);
        awaitUntil(() -> recorder.events(Topics.METRICS, reaching, EpochMetrics.class).stream()
                .anyMatch(e -> e.iteration() == crossing), "a last validation at the crossing");

        RunStatusChanged pruned = awaitFinalStatus(capped);
        assertEquals(RunState.SUCCEEDED, pruned.state(), "reason: " + pruned.reason());
        assertEquals(RunOutcome.PRUNED, pruned.outcome());
        assertNull(pruned.reachedTargetAt());
        awaitUntil(() -> recorder.events(Topics.METRICS, capped, EpochMetrics.class).stream()
                .anyMatch(e -> e.iteration() == 40), "a last validation at the cap");
        assertEquals(40, recorder.events(Topics.METRICS, capped, IterationMetrics.class).size(), "trained to its cap");
    }

    @Test
    void redeliveredRunResumesFromItsCheckpointWithTheNextAttempt() {
        String runId = newRunId("resume");
        RunSpec spec = blobsSpec(BatchSize.of(32), BudgetSpec.epochs(2), new CheckpointSpec(5, 0));
        // attempt 1 ran on a trainer that died after iteration 13; its last checkpoint is at iteration 10
        RunDirectory directory = new RunDirectory(checkpointDir, runId);
        assertEquals(1, directory.nextAttempt());
        CheckpointStore checkpoints = directory.checkpoints();
        Trainer first = Trainer.create(spec, DatasetLoader.standard().load(spec.dataset(), spec.seed()));
        try {
            first.train(new TrainingListener() {
                @Override
                public void iteration(IterationRecord record) {
                    if (record.iteration() == 13) {
                        throw new IllegalStateException("the trainer died");
                    }
                }
            }, RunControl.NEVER, checkpoints);
            fail("the first attempt should have died");
        } catch (IllegalStateException expected) {
            // the record was never acknowledged; Kafka delivers it again
        }

        send(Topics.RUNS_REQUESTED, runId, EventJson.write(request(runId, spec)));
        RunStatusChanged done = awaitFinalStatus(runId);
        assertEquals(RunState.SUCCEEDED, done.state(), "reason: " + done.reason());
        assertEquals(2, done.attempt());
        assertEquals(2, recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class).get(0).attempt());
        awaitUntil(() -> recorder.events(Topics.METRICS, runId, IterationMetrics.class).size() == 20, "iterations 11..30");
        List<IterationMetrics> iterations = recorder.events(Topics.METRICS, runId, IterationMetrics.class);
        assertEquals(LongStream.rangeClosed(11, 30).boxed().toList(), iterations.stream().map(IterationMetrics::iteration).toList());
        assertTrue(iterations.stream().allMatch(m -> m.attempt() == 2));
        assertNull(directory.checkpoints().load(first.fingerprint()).orElse(null), "a finished run keeps no checkpoints");
    }

    private static RunSpec blobsSpec(BatchSize batch, BudgetSpec budget, CheckpointSpec checkpoint) {
        return new RunSpec(new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, 600, 0.2, 8, 3, 1.0, null, null),
                new ModelSpec(ModelType.MLP, List.of(16), Activation.RELU, WeightInit.XAVIER), LossFunction.CROSS_ENTROPY,
                new OptimizerSpec(dev.batchscope.events.spec.OptimizerType.MOMENTUM, 0.9), batch,
                new LearningRateSpec(0.05, LrScaling.LINEAR, 16, null), budget, 3L, new NoiseSpec(5, 4),
                ValidationSpec.EVERY_EPOCH, null, checkpoint, null);
    }

    private static RunSpec withTarget(RunSpec base, double target) {
        return new RunSpec(base.dataset(), base.model(), base.loss(), base.optimizer(), base.batchSize(),
                base.learningRate(), base.budget(), base.seed(), base.noise(), base.validation(), target,
                base.checkpoint(), true);
    }

    private static RunRequested request(String runId, RunSpec spec) {
        return new RunRequested(Event.SCHEMA_VERSION, runId, "sweep-1", Instant.now(), spec,
                new SweepRef("trainer-test", Instant.now(), 1, 0, null, null, null));
    }

    private static String newRunId(String what) {
        return what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    private static RunStatusChanged awaitFinalStatus(String runId) {
        awaitUntil(() -> recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class).stream().anyMatch(s -> s.state().terminal()),
                "a final status of " + runId);
        return recorder.events(Topics.RUNS_STATUS, runId, RunStatusChanged.class).stream()
                .filter(s -> s.state().terminal()).findFirst().orElseThrow();
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        awaitUntil(() -> recorder.records(Topics.DLQ).stream().anyMatch(r -> key.equals(r.key())), "DLQ record " + key);
        return recorder.records(Topics.DLQ).stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void awaitUntil(BooleanSupplier condition, String what) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }
}

package dev.batchscope.metrics.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.events.EpochMetrics;
import dev.batchscope.events.Event;
import dev.batchscope.events.IterationMetrics;
import dev.batchscope.events.NoiseMeasurement;
import dev.batchscope.events.RunRequested;
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
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.RunState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the recorded event streams the service tests replay: src/test/resources/streams/textbook.*.jsonl.
 * A sweep of batch sizes 16, 64, 128 and 256 with two seeds each, trained as a trainer would report it: loss falling
 * faster per step but fluctuating more for small batches, noise measurements every 10 iterations, a validation per
 * epoch. On top of that, what a real stream has: one run that dies and resumes from a checkpoint (attempt 2) while
 * a few attempt-1 records arrive late, redelivered records, records that cannot be read or do not belong on the
 * topic, and an older sweep that finished two days before.
 *
 * <p>Not a test: run it to re-record, then commit the files.
 * {@code mvn -q -pl metrics-service test-compile exec:java@record-streams}
 */
public final class RecordTextbookSweep {
    public static final String SWEEP = "sw-textbook";
    public static final String ARCHIVE_SWEEP = "sw-archive";
    public static final String RESUMED_RUN = "tb-b64-s1";
    public static final double TARGET = 0.5;
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final int[] BATCH_SIZES = {16, 64, 128, 256};
    private static final long[] SEEDS = {1, 2};
    private static final int TRAIN_SAMPLES = 512;
    private static final int EPOCHS = 20;
    private static final ObjectMapper JSON = EventJson.mapper();

    private final List<String> metrics = new ArrayList<>();
    private final List<String> status = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/streams");
        RecordTextbookSweep recording = new RecordTextbookSweep();
        recording.record();
        Files.createDirectories(dir);
        Files.write(dir.resolve("textbook.metrics.jsonl"), recording.metrics);
        Files.write(dir.resolve("textbook.status.jsonl"), recording.status);
        System.out.printf("wrote %d metrics and %d status records to %s%n", recording.metrics.size(),
                recording.status.size(), dir);
    }

    private void record() {
        int index = 0;
        int runCount = BATCH_SIZES.length * SEEDS.length;
        for (int b : BATCH_SIZES) {
            for (long seed : SEEDS) {
                String run = "tb-b" + b + "-s" + seed;
                RunSpec spec = spec(b, seed);
                SweepRef ref = new SweepRef("textbook", T0.minusSeconds(60), runCount, index++, null, null, null);
                trainRun(run, SWEEP, spec, ref, b, seed, T0.plusSeconds(index * 5L));
            }
        }
        RunSpec archived = spec(32, 1);
        trainArchived(archived, new SweepRef("archive", T0.minusSeconds(2 * 86_400 + 600), 1, 0, null, null, null));
        malformed();
    }

    private static RunSpec spec(int b, long seed) {
        DatasetSpec data = new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, TRAIN_SAMPLES + 64, 0.111, 16, 4, 1.0, null,
                null);
        return new RunSpec(data, new ModelSpec(ModelType.MLP, List.of(64, 32), null, null), null, null,
                BatchSize.of(b), LearningRateSpec.constant(0.05), BudgetSpec.epochs(EPOCHS), seed, null, null,
                TARGET, null, null);
    }

    /** A run of the textbook sweep: S(B) = 20 (1 + 64/B) steps to bring the mean loss to the target. */
    private void trainRun(String run, String sweep, RunSpec spec, SweepRef ref, int b, long seed, Instant start) {
        RunStatusChanged queued = new RunStatusChanged(Event.SCHEMA_VERSION, run, sweep, start, RunState.QUEUED, 0,
                null, null, null, null, spec, ref, null, null);
        status(run, queued);
        RunStatusChanged running = next(queued, RunState.RUNNING, 1, "trainer-a", start.plusMillis(200), b);
        status(run, running);
        int stepsPerEpoch = TRAIN_SAMPLES / b;
        int total = stepsPerEpoch * EPOCHS;
        double stepsToTarget = 20 * (1 + 64.0 / b);
        double rate = Math.log(2.0 / (TARGET - 0.2)) / stepsToTarget;
        double sigma = 0.3 / Math.sqrt(b / 16.0);
        Random random = new Random(b * 1000L + seed);
        boolean resumes = run.equals(RESUMED_RUN);
        int checkpoint = 100;
        int diesAt = 130;
        Instant end;
        if (resumes) {
            // attempt 1 dies at 130; a trainer redelivers and resumes from the checkpoint at iteration 100
            Random attempt1 = new Random(b * 1000L + seed + 77);
            for (int it = 1; it <= diesAt; it++) {
                Random r = it <= checkpoint ? random : attempt1;
                iteration(run, sweep, 1, it, b, stepsPerEpoch, rate, sigma, r, start);
            }
            // the random stream of the good attempt continues as if never interrupted
            status(run, next(running, RunState.RUNNING, 2, "trainer-b", at(start, diesAt, b).plusSeconds(30), b));
            for (int it = checkpoint + 1; it <= total; it++) {
                iteration(run, sweep, 2, it, b, stepsPerEpoch, rate, sigma, random, start);
                if (it == checkpoint + 3) {
                    // attempt 1's last records, delivered late: they must change nothing
                    iterationRecord(run, sweep, 1, diesAt + 1, b, stepsPerEpoch, 0.1, 1.0, start, null);
                    iterationRecord(run, sweep, 1, diesAt + 2, b, stepsPerEpoch, 0.1, 1.0, start, null);
                }
            }
        } else {
            for (int it = 1; it <= total; it++) {
                iteration(run, sweep, 1, it, b, stepsPerEpoch, rate, sigma, random, start);
                if (run.equals("tb-b16-s2") && it == 20) {
                    // a redelivery: iterations 10..14 again, byte for byte
                    for (int again = 10; again <= 14; again++) {
                        metrics.add(metrics.get(indexOfIteration(run, again)));
                    }
                }
            }
        }
        end = at(start, total, b).plusMillis(100);
        RunStatusChanged done = next(running, RunState.SUCCEEDED, resumes ? 2 : 1,
                resumes ? "trainer-b" : "trainer-a", end, b);
        status(run, done);
        if (resumes) {
            // attempt 1's RUNNING, redelivered after the end: a terminal state never changes
            status(run, next(running, RunState.RUNNING, 1, "trainer-a", end.plusSeconds(1), b));
        }
        if (run.equals("tb-b128-s1")) {
            // a validation redelivered
            metrics.add(metrics.get(indexOfEval(run, 1)));
        }
    }

    private void trainArchived(RunSpec spec, SweepRef ref) {
        String run = "ar-b32-s1";
        Instant start = T0.minusSeconds(2 * 86_400);
        RunStatusChanged running = new RunStatusChanged(Event.SCHEMA_VERSION, run, ARCHIVE_SWEEP, start,
                RunState.RUNNING, 1, "trainer-a", 32, 0.05, null, spec, ref, null, null);
        status(run, running);
        Random random = new Random(32);
        int stepsPerEpoch = TRAIN_SAMPLES / 32;
        for (int it = 1; it <= stepsPerEpoch * 2; it++) {
            iteration(run, ARCHIVE_SWEEP, 1, it, 32, stepsPerEpoch, 0.02, 0.2, random, start);
        }
        status(run, next(running, RunState.SUCCEEDED, 1, "trainer-a", at(start, stepsPerEpoch * 2, 32), 32));
    }

    private void malformed() {
        metrics.add(raw("tb-b16-s1", "{not json"));
        ObjectNode nanLoss = (ObjectNode) tree(metrics.get(indexOfIteration("tb-b64-s2", 5)));
        ((ObjectNode) nanLoss.get("event")).put("loss", "NaN");
        metrics.add(nanLoss.toString());
        ObjectNode future = (ObjectNode) tree(metrics.get(indexOfIteration("tb-b256-s1", 5)));
        ((ObjectNode) future.get("event")).put("schemaVersion", 99);
        metrics.add(future.toString());
        ObjectNode missing = (ObjectNode) tree(metrics.get(indexOfIteration("tb-b128-s2", 5)));
        ((ObjectNode) missing.get("event")).remove("iteration");
        metrics.add(missing.toString());
        RunRequested request = new RunRequested(Event.SCHEMA_VERSION, "tb-b16-s1", SWEEP, T0.plusSeconds(1),
                spec(16, 1), new SweepRef("textbook", T0.minusSeconds(60), 8, 0, null, null, null));
        metrics.add(line("tb-b16-s1", request));
        status.add(raw("tb-b256-s2", "garbage"));
    }

    private void iteration(String run, String sweep, int attempt, int it, int b, int stepsPerEpoch, double rate,
                           double sigma, Random random, Instant start) {
        double clean = 0.2 + 2.0 * Math.exp(-it * rate);
        double loss = clean + sigma * random.nextGaussian();
        double gradNorm = 0.5 + 3.0 * Math.exp(-it * rate) + 0.05 * random.nextGaussian();
        NoiseMeasurement noise = null;
        if (it % 10 == 0) {
            int k = 4;
            int micro = b / k;
            double traceSigma = 4.0 * (1 + 0.2 * random.nextGaussian());
            double gradNormSq = 0.08 * Math.exp(-it * rate) + 0.01 + 0.01 * random.nextGaussian();
            double variance = traceSigma / micro;
            noise = new NoiseMeasurement(k, micro, variance, traceSigma, gradNormSq,
                    gradNormSq > 0 ? traceSigma / gradNormSq : null);
        }
        iterationRecord(run, sweep, attempt, it, b, stepsPerEpoch, Math.max(0.001, loss), gradNorm, start, noise);
        if (it % stepsPerEpoch == 0) {
            int epoch = (it - 1) / stepsPerEpoch;
            double valLoss = clean + 0.05 + 0.01 * epoch + 0.02 * random.nextGaussian();
            double accuracy = Math.max(0, Math.min(1, 1 - valLoss / 2.5));
            metrics.add(line(run, new EpochMetrics(Event.SCHEMA_VERSION, run, sweep, at(start, it, b).plusMillis(3),
                    attempt, epoch, (long) it, (long) it * b, clean + 0.01 * random.nextGaussian(), valLoss,
                    accuracy, elapsed(it, b) + 3)));
        }
    }

    private void iterationRecord(String run, String sweep, int attempt, int it, int b, int stepsPerEpoch, double loss,
                                 double gradNorm, Instant start, NoiseMeasurement noise) {
        long elapsed = elapsed(it, b);
        double samplesPerSecond = b / ((5 + b / 16.0) / 1000.0);
        metrics.add(line(run, new IterationMetrics(Event.SCHEMA_VERSION, run, sweep, at(start, it, b), attempt,
                (long) it, (it - 1) / stepsPerEpoch, (long) it * b, loss, Math.abs(gradNorm), 0.05, elapsed,
                samplesPerSecond, noise)));
    }

    private static long elapsed(int it, int b) {
        return Math.round(it * (5 + b / 16.0));
    }

    private static Instant at(Instant start, int it, int b) {
        return start.plusMillis(elapsed(it, b));
    }

    private static RunStatusChanged next(RunStatusChanged from, RunState state, int attempt, String trainer,
                                         Instant at, int b) {
        return new RunStatusChanged(Event.SCHEMA_VERSION, from.runId(), from.sweepId(), at, state, attempt, trainer,
                b, 0.05, null, from.run(), from.sweep(), null, null);
    }

    private void status(String run, RunStatusChanged event) {
        status.add(line(run, event));
    }

    private int indexOfIteration(String run, long it) {
        for (int i = 0; i < metrics.size(); i++) {
            var node = tree(metrics.get(i)).get("event");
            if (node != null && run.equals(node.path("runId").asText()) && "IterationMetrics".equals(
                    node.path("type").asText()) && node.path("iteration").asLong() == it) {
                return i;
            }
        }
        throw new IllegalStateException("no iteration " + it + " of " + run);
    }

    private int indexOfEval(String run, int epoch) {
        for (int i = 0; i < metrics.size(); i++) {
            var node = tree(metrics.get(i)).get("event");
            if (node != null && run.equals(node.path("runId").asText()) && "EpochMetrics".equals(
                    node.path("type").asText()) && node.path("epoch").asInt() == epoch) {
                return i;
            }
        }
        throw new IllegalStateException("no evaluation " + epoch + " of " + run);
    }

    private static String line(String key, Event event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", key);
        node.set("event", JSON.valueToTree(event));
        return node.toString();
    }

    private static String raw(String key, String raw) {
        ObjectNode node = JSON.createObjectNode();
        node.put("key", key);
        node.put("raw", raw);
        return node.toString();
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

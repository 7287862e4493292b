package dev.batchscope.cli.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.cli.stack.LocalStack;
import dev.batchscope.cli.stack.StackControl;
import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.cli.support.TestDirs;
import dev.batchscope.events.json.EventJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

import static dev.batchscope.cli.reliability.SweepProbes.awaitFinished;
import static dev.batchscope.cli.reliability.SweepProbes.awaitIterations;
import static dev.batchscope.cli.reliability.SweepProbes.highestIteration;
import static dev.batchscope.cli.reliability.SweepProbes.say;
import static dev.batchscope.cli.reliability.SweepProbes.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kill soak: a sweep of 12 runs on 3 trainers and 2 metrics-service replicas, trained once undisturbed (the
 * reference) and once while trainers and metrics replicas are SIGKILLed at random and restarted, with the broker
 * stopped once for 20 s. Afterwards every run has finished, each replica holds every iteration of every run exactly
 * once, and each run's series and summary row equal those of the reference run with the same batch size and seed:
 * a resumed run is bit-identical to an uninterrupted one.
 *
 * <p>The suite runs a short soak ({@value #DEFAULT_KILLS} kills); docs/reliability.md gives the long command
 * ({@code -Dsoak.kills=10 -Dsoak.steps=2000}) and its last figures. {@code -Dsoak.seed} replays a soak's choices.
 */
class KillSoakIT {
    private static final Path HOME = Path.of(System.getProperty("batchscope.home", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target", "kill-soak-it").toAbsolutePath();
    private static final int DEFAULT_KILLS = 3;
    private static final int KILLS = Integer.getInteger("soak.kills", DEFAULT_KILLS);
    /**
     * Steps per run: at most the metrics-service's {@code series-points} (2048), the points a run's series keeps
     * before it compacts them into buckets; beyond that "every iteration exactly once" cannot be read back.
     */
    private static final int STEPS = Integer.getInteger("soak.steps", 800);
    private static final int SERIES_POINTS = 2048;
    private static final long SEED = Long.getLong("soak.seed", System.nanoTime());
    private static final List<Integer> BATCH_SIZES = List.of(16, 32, 64, 128);
    private static final List<Integer> SEEDS = List.of(1, 2, 3);
    private static final int RUNS = BATCH_SIZES.size() * SEEDS.size();
    private static final String SECOND_REPLICA = "metrics-2";
    private static final List<String> TRAINERS = List.of("trainer-1", "trainer-2", "trainer-3");
    private static final List<String> VICTIMS = List.of("trainer-1", "trainer-2", "trainer-3", "metrics", SECOND_REPLICA);
    /** Series that follow from the events alone; samples_per_second is timing and differs between any two runs. */
    private static final List<String> SERIES = List.of("train_loss", "train_loss_ema", "val_loss", "val_accuracy",
            "gradient_variance", "noise_scale");
    /** Summary columns that depend on timing or on the attempt, not on what was trained. */
    private static final List<String> TIMING = List.of("runId", "attempt", "seconds", "samplesPerSecond",
            "secondsToTarget");

    private static LocalStack stack;
    private static StackControl control;
    private static SchedulerClient scheduler;
    private static List<MetricsClient> replicas;

    @BeforeAll
    static void startTheStack() throws Exception {
        assertTrue(STEPS <= SERIES_POINTS, "soak.steps is " + STEPS + "; at most " + SERIES_POINTS
                + ", the points a run's series keeps uncompacted");
        TestDirs.deleteRecursively(WORK);
        long started = System.nanoTime();
        stack = new LocalStack(new StackLayout(HOME, WORK.resolve("state")), new PrintWriter(System.out, true))
                .withJvmFlags("trainer-service", DrillStack.FAST_FAILOVER_RUNS)
                .withJvmFlags("metrics-service", DrillStack.FAST_FAILOVER_METRICS);
        try {
            stack.up(TRAINERS.size());
            control = new StackControl(stack);
            control.addService(SECOND_REPLICA, "metrics-service", DrillStack.FAST_FAILOVER_METRICS);
            control.awaitReady(SECOND_REPLICA);
        } catch (Exception | Error e) {
            stopTheStack();
            throw e;
        }
        StackState state = stack.state().orElseThrow();
        scheduler = new SchedulerClient(URI.create(state.service("scheduler").orElseThrow().url()), null);
        replicas = List.of(client(state, "metrics"), client(state, SECOND_REPLICA));
        say("soak stack up in %d s: 3 trainers, 2 metrics replicas; seed %d", seconds(started), SEED);
    }

    @AfterAll
    static void stopTheStack() throws IOException {
        DrillStack.stop(stack);
    }

    @Test
    void runsThroughRandomKillsAndABrokerOutageEndLikeAnUndisturbedSweep() throws Exception {
        DrillSweep sweep = DrillSweep.blobs("soak-reference", BATCH_SIZES, STEPS).withSeeds(SEEDS);
        long started = System.nanoTime();
        String reference = scheduler.submitSpec(sweep.spec());
        JsonNode undisturbed = awaitFinished(scheduler, reference, Duration.ofMinutes(5));
        assertAllSucceeded(undisturbed);
        assertEquals(0, count(undisturbed, run -> run.path("attempt").asInt() > 1),
                "no fault, so no run was handed over: " + undisturbed);
        long referenceSeconds = seconds(started);

        long disturbedStart = System.nanoTime();
        String disturbed = scheduler.submitSpec(sweep.named("soak-disturbed").spec());
        List<String> faults = injectFaults(disturbed);
        JsonNode finished = awaitFinished(scheduler, disturbed, Duration.ofMinutes(10));
        assertAllSucceeded(finished);
        long resumed = count(finished, run -> run.path("attempt").asInt() > 1);
        assertTrue(resumed >= 1, "at least the run whose trainer was killed first resumed in a later attempt: " + finished);

        Map<String, JsonNode> expected = byRun(replicas.get(0), reference);
        for (MetricsClient replica : replicas) {
            awaitIterations(replica, reference, (long) RUNS * STEPS);
            awaitIterations(replica, disturbed, (long) RUNS * STEPS);
            Map<String, JsonNode> actual = byRun(replica, disturbed);
            assertEquals(RUNS, actual.size(), "every run at " + replica.base());
            for (Map.Entry<String, JsonNode> run : actual.entrySet()) {
                assertEquals(everyStepOnce(), run.getValue().path("train_loss_steps"),
                        "every iteration of run " + run.getKey() + " exactly once at " + replica.base());
                assertEquals(expected.get(run.getKey()), run.getValue(),
                        "run " + run.getKey() + " at " + replica.base() + " equals the undisturbed run");
            }
        }
        say("kill soak: PASS; reference sweep %d s, disturbed sweep %d s through %d faults %s; %d of %d runs resumed, "
                        + "%d iterations each once on both replicas, series and summaries equal to the reference's",
                referenceSeconds, seconds(disturbedStart), faults.size(), faults, resumed, RUNS, (long) RUNS * STEPS);
    }

    /**
     * Kills a trainer that is training (so that a run resumes), then {@link #KILLS} - 1 random trainers or metrics
     * replicas a few seconds apart, each restarted at once, and stops the broker for 20 s halfway.
     */
    private static List<String> injectFaults(String sweepId) throws Exception {
        Random random = new Random(SEED);
        List<String> faults = new ArrayList<>();
        String training = await("a run past its first checkpoint").atMost(Duration.ofSeconds(60)).until(() -> {
            if (highestIteration(replicas.get(0), sweepId) < 50) {
                return Optional.<String>empty();
            }
            for (JsonNode run : scheduler.sweep(sweepId).path("runs")) {
                if ("RUNNING".equals(run.path("state").asText())) {
                    return Optional.of(run.path("trainerId").asText());
                }
            }
            return Optional.<String>empty();
        }, Optional::isPresent).orElseThrow();
        for (int i = 0; i < KILLS; i++) {
            if (i == KILLS / 2) {
                StackControl.Stopped broker = control.stop("kafka");
                Thread.sleep(20_000);
                control.start(broker);
                faults.add("kafka stopped 20 s");
            }
            String victim = i == 0 ? training : VICTIMS.get(random.nextInt(VICTIMS.size()));
            control.restart(victim, true);
            faults.add(victim);
            Thread.sleep(1_000 + random.nextInt(3_000));
        }
        return faults;
    }

    /**
     * Each run's deterministic results, keyed by batch size and seed: its series by step, the steps of its training
     * loss, and its summary row without the columns that depend on timing or attempts.
     */
    private static Map<String, JsonNode> byRun(MetricsClient replica, String sweepId) {
        Map<String, JsonNode> runs = new TreeMap<>();
        for (String series : SERIES) {
            for (JsonNode run : replica.series(sweepId, series, "step", 20_000).path("series")) {
                ObjectNode node = (ObjectNode) runs.computeIfAbsent(key(run), k -> JsonNodeFactory.instance.objectNode());
                node.set(series, run.path("points"));
                if (series.equals("train_loss")) {
                    List<Long> steps = new ArrayList<>();
                    run.path("points").forEach(p -> steps.add(p.get(0).asLong()));
                    node.set("train_loss_steps", EventJson.mapper().valueToTree(steps));
                }
            }
        }
        for (JsonNode row : replica.summaryDocument(sweepId).path("runs")) {
            ObjectNode summary = ((ObjectNode) row).deepCopy();
            summary.remove(TIMING);
            ((ObjectNode) runs.computeIfAbsent(key(row), k -> JsonNodeFactory.instance.objectNode())).set("summary", summary);
        }
        return runs;
    }

    private static JsonNode everyStepOnce() {
        List<Long> steps = new ArrayList<>();
        for (long i = 1; i <= STEPS; i++) {
            steps.add(i);
        }
        return EventJson.mapper().valueToTree(steps);
    }

    private static String key(JsonNode run) {
        return "batch " + run.path("batchSize").asInt() + " seed " + run.path("seed").asLong();
    }

    private static void assertAllSucceeded(JsonNode sweep) {
        assertEquals(RUNS, sweep.path("runs").size(), sweep.toString());
        for (JsonNode run : sweep.path("runs")) {
            assertEquals("SUCCEEDED", run.path("state").asText(), run.toString());
        }
    }

    private static long count(JsonNode sweep, Predicate<JsonNode> which) {
        long n = 0;
        for (JsonNode run : sweep.path("runs")) {
            n += which.test(run) ? 1 : 0;
        }
        return n;
    }

    private static MetricsClient client(StackState state, String name) {
        return new MetricsClient(URI.create(state.service(name).orElseThrow().url()), Duration.ofSeconds(30));
    }
}

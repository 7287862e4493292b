package dev.batchscope.cli.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.RunState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the fault drills read from the running services about a sweep, and how they wait for it. */
final class SweepProbes {
    private SweepProbes() {
    }

    /** The sweep as the scheduler reports it once it is in a terminal state. */
    static JsonNode awaitFinished(SchedulerClient scheduler, String sweepId, Duration timeout) {
        return await("sweep " + sweepId + " to finish").atMost(timeout).until(() -> scheduler.sweep(sweepId),
                sweep -> RunState.parse(sweep.path("state").asText()).map(RunState::terminal).orElse(false));
    }

    /** The highest iteration the metrics-service has of the sweep's runs (0 before it knows the sweep). */
    static long highestIteration(MetricsClient service, String sweepId) {
        return service.summaryIfAvailable(sweepId).map(s -> {
            long max = 0;
            for (JsonNode run : s.path("runs")) {
                max = Math.max(max, run.path("iterations").asLong());
            }
            return max;
        }).orElse(0L);
    }

    /** Waits until the service holds {@code total} distinct iterations of the sweep's runs' training loss. */
    static void awaitIterations(MetricsClient service, String sweepId, long total) {
        await(total + " iterations aggregated").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertEquals(total, distinctIterations(service, sweepId), "iterations aggregated"));
    }

    static long distinctIterations(MetricsClient service, String sweepId) {
        long count = 0;
        for (JsonNode run : service.series(sweepId, "train_loss", "step", 20_000).path("series")) {
            count += StreamSupport.stream(run.path("points").spliterator(), false)
                    .map(p -> p.get(0).asLong()).distinct().count();
        }
        return count;
    }

    /** Every run's points of one series, in the service's run order, as one JSON array to compare whole. */
    static JsonNode points(MetricsClient service, String sweepId, String series, String x) {
        JsonNode runs = service.series(sweepId, series, x, 20_000).path("series");
        List<JsonNode> points = new ArrayList<>();
        runs.forEach(run -> points.add(run.path("points")));
        return EventJson.mapper().valueToTree(points);
    }

    static long seconds(long sinceNanos) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos).toSeconds();
    }

    static void say(String format, Object... args) {
        System.out.println("[reliability] " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}

package dev.batchscope.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.spec.RunState;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** Submits small sweeps to the scheduler and waits for their runs. */
final class Sweeps {
    /** A sweep that trains in seconds: 512 synthetic samples, one small MLP, one epoch. */
    static final String SMALL = """
            {"name": "%s", "dataset": {"name": "synthetic-blobs", "samples": 512},
             "model": {"type": "mlp", "hidden": [16]}, "batchSizes": [64], "seeds": [1],
             "learningRate": {"base": 0.05}, "budget": {"epochs": 1}}
            """;

    private Sweeps() {
    }

    /** POSTs the small sweep; returns its id. */
    static String submitSmall(SecuredStack stack, String name) {
        Http.Answer created = Http.send(HttpRequest.newBuilder(URI.create(stack.scheduler.url("/api/v1/sweeps")))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + SecuredStack.API_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(SMALL.formatted(name))).build());
        if (created.status() != 201) {
            throw new AssertionError("the small sweep was refused: " + created);
        }
        return created.json().get("sweepId").asText();
    }

    /** Waits until every run of the sweep has finished; returns the sweep as the scheduler shows it. */
    static JsonNode awaitFinished(SecuredStack stack, String sweepId, Duration timeout) {
        return await("sweep " + sweepId + " to finish").atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> sweep(stack, sweepId), sweep -> sweep != null && allFinished(sweep));
    }

    /** Waits until the metrics-service has more than one train_loss point of the run; returns its points. */
    static JsonNode awaitLossPoints(SecuredStack stack, String sweepId, String runId) {
        return await("train_loss points of " + runId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> lossPoints(stack, sweepId, runId), points -> points != null && points.size() > 1);
    }

    private static JsonNode sweep(SecuredStack stack, String sweepId) {
        Http.Answer answer = Http.get(stack.scheduler.url("/api/v1/sweeps/" + sweepId));
        return answer.status() == 200 ? answer.json() : null;
    }

    private static boolean allFinished(JsonNode sweep) {
        for (JsonNode run : sweep.get("runs")) {
            if (!RunState.parse(run.get("state").asText()).map(RunState::terminal).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode lossPoints(SecuredStack stack, String sweepId, String runId) {
        Http.Answer answer = Http.get(stack.metrics.url("/api/v1/sweeps/" + sweepId + "/series?metric=train_loss&x=step"));
        if (answer.status() != 200) {
            return null;
        }
        for (JsonNode series : answer.json().get("series")) {
            if (series.get("runId").asText().equals(runId)) {
                return series.get("points");
            }
        }
        return null;
    }
}

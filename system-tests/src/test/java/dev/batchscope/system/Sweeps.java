package dev.batchscope.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

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
    static JsonNode awaitFinished(SecuredStack stack, String sweepId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode sweep = null;
        while (System.nanoTime() < deadline) {
            Http.Answer answer = Http.get(stack.scheduler.url("/api/v1/sweeps/" + sweepId));
            if (answer.status() == 200) {
                sweep = answer.json();
                boolean finished = true;
                for (JsonNode run : sweep.get("runs")) {
                    String state = run.get("state").asText();
                    finished &= state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED");
                }
                if (finished) {
                    return sweep;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("sweep " + sweepId + " did not finish in " + timeout + ": " + sweep);
    }

    /** Waits until the metrics-service has more than one train_loss point of the run; returns its points. */
    static JsonNode awaitLossPoints(SecuredStack stack, String sweepId, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Http.Answer answer = null;
        while (System.nanoTime() < deadline) {
            answer = Http.get(stack.metrics.url("/api/v1/sweeps/" + sweepId + "/series?metric=train_loss&x=step"));
            if (answer.status() == 200) {
                for (JsonNode series : answer.json().get("series")) {
                    if (series.get("runId").asText().equals(runId) && series.get("points").size() > 1) {
                        return series.get("points");
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the metrics-service has no train_loss series for " + runId + ": " + answer);
    }
}

package dev.batchscope.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.json.EventJson;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** The scheduler-service's REST API (docs/design.md#9-http). Answers are the server's JSON, unchanged. */
public class SchedulerClient {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String SWEEPS = "/api/v1/sweeps";
    private static final int SUBMIT_ATTEMPTS = 5;

    private final ServiceHttp http;
    private final String token;

    public SchedulerClient(URI base, String token) {
        this.http = new ServiceHttp("scheduler", base,
                "start the stack with `batchscope up`, or point --scheduler-url (BATCHSCOPE_SCHEDULER_URL) at a running scheduler",
                Duration.ofSeconds(60));
        this.token = token;
    }

    public URI base() {
        return http.base();
    }

    /**
     * Submits a sweep. Each submission carries an Idempotency-Key, so a POST whose answer was lost can be sent
     * again safely: a lost connection or a 503 is retried with the same key.
     */
    public JsonNode submit(byte[] spec, String contentType, String idempotencyKey) {
        String key = idempotencyKey != null ? idempotencyKey : "cli-" + UUID.randomUUID();
        HttpRequest request = authorized(http.request(SWEEPS))
                .header("Content-Type", contentType)
                .header(IDEMPOTENCY_KEY, key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(spec)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(request);
            } catch (ServiceUnreachableException e) {
                // retry only what a retry can fix: the service went away mid-request or was briefly unavailable
                if (attempt == SUBMIT_ATTEMPTS || e.connectionRefused()) {
                    throw e;
                }
                sleep(Duration.ofSeconds(attempt));
            }
        }
    }

    /** Submits a sweep spec built in code (demo, load, the drills) as JSON; returns the new sweep's id. */
    public String submitSpec(JsonNode spec) {
        byte[] json;
        try {
            json = EventJson.mapper().writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        return submit(json, "application/json", null).path("sweepId").asText();
    }

    public JsonNode list(int page, int size) {
        return http.send(http.request(SWEEPS + "?page=" + page + "&size=" + size).GET().build());
    }

    public JsonNode sweep(String sweepId) {
        return http.send(http.request(SWEEPS + "/" + encode(sweepId)).GET().build());
    }

    public JsonNode cancel(String sweepId) {
        return http.send(authorized(http.request(SWEEPS + "/" + encode(sweepId))).DELETE().build());
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SWEEP_FAILED, "interrupted");
        }
    }
}

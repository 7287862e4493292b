package dev.batchscope.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The metrics-service's sweep API (docs/design.md#9-http). {@link #summary} is tolerant, for {@code sweep watch}, whose
 * figures are a bonus; {@link #summaryDocument} and {@link #series} are strict, for the report, which needs them.
 */
public class MetricsClient {
    private static final String HINT = "start it with `batchscope up`, or point --metrics-url (BATCHSCOPE_METRICS_URL) at it";
    private final ServiceHttp http;

    public MetricsClient(URI base) {
        this(base, Duration.ofSeconds(5));
    }

    public MetricsClient(URI base, Duration timeout) {
        this.http = new ServiceHttp("metrics-service", base, HINT, timeout);
    }

    public URI base() {
        return http.base();
    }

    /** GET {metrics}/api/v1/sweeps/{id}/summary, parsed tolerantly; empty when unavailable. */
    public Optional<MetricsSummary> summary(String sweepId) {
        return summaryIfAvailable(sweepId).map(MetricsSummary::parse);
    }

    /** The summary document as served, or empty when the service cannot answer it now. */
    public Optional<JsonNode> summaryIfAvailable(String sweepId) {
        HttpRequest request = http.request(sweepPath(sweepId) + "/summary").GET().build();
        try {
            HttpResponse<String> response = http.exchangeOrThrow(request);
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(http.parse(response.body(), request));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** GET {metrics}/api/v1/sweeps/{id}/summary; failures are {@link dev.batchscope.cli.CliException}s. */
    public JsonNode summaryDocument(String sweepId) {
        return http.send(http.request(sweepPath(sweepId) + "/summary").GET().build());
    }

    /**
     * GET {metrics}/api/v1/sweeps/{id}/series?metric=..&x=..&points=..: one series per run, [x, y] pairs.
     *
     * @param x step, samples or seconds
     */
    public JsonNode series(String sweepId, String metric, String x, int points) {
        return http.send(http.request(sweepPath(sweepId) + "/series?metric=" + encode(metric) + "&x=" + encode(x)
                + "&points=" + points).GET().build());
    }

    private static String sweepPath(String sweepId) {
        return "/api/v1/sweeps/" + encode(sweepId);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.batchscope.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The metrics-service's sweep summary. Its figures are a bonus for {@code sweep watch}: when the service cannot be
 * reached or answers something unexpected, the caller goes on with status only.
 */
public class MetricsClient {
    private final ServiceHttp http;

    public MetricsClient(URI base) {
        this.http = new ServiceHttp("metrics-service", base,
                "start it with `batchscope up`, or point --metrics-url (BATCHSCOPE_METRICS_URL) at it", Duration.ofSeconds(5));
    }

    public URI base() {
        return http.base();
    }

    /** GET {metrics}/api/v1/sweeps/{id}/summary, parsed tolerantly; empty when unavailable. */
    public Optional<MetricsSummary> summary(String sweepId) {
        HttpRequest request = http.request("/api/v1/sweeps/" + URLEncoder.encode(sweepId, StandardCharsets.UTF_8) + "/summary")
                .GET().build();
        try {
            HttpResponse<String> response = http.exchangeOrThrow(request);
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(MetricsSummary.parse(http.parse(response.body(), request)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}

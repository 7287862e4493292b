package dev.batchscope.cli.probe;

import dev.batchscope.events.prometheus.PrometheusText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a service's {@code /q/metrics} page over HTTP, for the load command and the drills. */
public final class PrometheusScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusScrape() {
    }

    /** GET {@code url} and parse it; fails with an IOException when the service does not answer 200. */
    public static PrometheusText scrape(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode());
        }
        return PrometheusText.parse(response.body());
    }
}

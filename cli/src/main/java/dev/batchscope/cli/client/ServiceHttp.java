package dev.batchscope.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.json.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * JSON over HTTP to one batchscope service, with the CLI's error rules: a service that cannot be reached is one
 * line naming the URL and what to try (exit 3); a refused request prints the server's field messages (exit 2).
 */
public final class ServiceHttp {
    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String service;
    private final URI base;
    private final String hint;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param service what to call it in messages ("scheduler")
     * @param hint    what to try when it cannot be reached
     */
    public ServiceHttp(String service, URI base, String hint, Duration timeout) {
        this.service = service;
        this.base = withoutTrailingSlash(base);
        this.hint = hint;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public URI base() {
        return base;
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", "application/json");
    }

    /** Sends the request and returns the JSON answer of a 2xx; anything else becomes a {@link CliException}. */
    public JsonNode send(HttpRequest request) {
        HttpResponse<String> response = exchange(request);
        if (response.statusCode() / 100 != 2) {
            throw refused(request, response);
        }
        return parse(response.body(), request);
    }

    /** Like {@link #send} but network failures are left to the caller (the metrics figures are optional). */
    public HttpResponse<String> exchangeOrThrow(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode parse(String body, HttpRequest request) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "the " + service + " at " + base + " answered "
                    + request.uri().getPath() + " with something that is not JSON; is " + base + " really the " + service + "?");
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SWEEP_FAILED, "interrupted");
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(e);
        }
    }

    /** The one-line message for a service that did not answer. */
    public ServiceUnreachableException unreachable(Exception e) {
        boolean refused = e instanceof ConnectException || e.getCause() instanceof ConnectException;
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + timeout.toSeconds() + " s";
        } else if (refused) {
            why = "connection refused";
        } else if (e instanceof UnresolvedAddressException || e.getCause() instanceof UnresolvedAddressException) {
            why = "unknown host";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ServiceUnreachableException("cannot reach the " + service + " at " + base + " (" + why + "); " + hint,
                refused);
    }

    private CliException refused(HttpRequest request, HttpResponse<String> response) {
        ServerProblem problem = ServerProblem.parse(response.body());
        int status = response.statusCode();
        String what = request.method() + " " + request.uri().getPath();
        if (status == 401) {
            return CliException.usage("the " + service + " at " + base + " requires an API token for " + request.method()
                    + (request.headers().firstValue("Authorization").isPresent() ? " and refused the one given" : "")
                    + "; pass --token or set BATCHSCOPE_API_TOKEN");
        }
        if (status == 404 && problem.isEmpty()) {
            return new CliException(ExitCodes.UNREACHABLE, "the " + service + " at " + base + " has no " + request.uri().getPath()
                    + "; is " + base + " really the " + service + "?");
        }
        if (status / 100 == 4) {
            return CliException.usage(problem.describe(service + " refused " + what + " (HTTP " + status + ")"));
        }
        return new CliException(ExitCodes.UNREACHABLE, problem.describe("the " + service + " at " + base
                + " failed " + what + " (HTTP " + status + ")") + (status == 503 ? "; try again shortly" : ""));
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }
}

package dev.batchscope.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A minimal server-sent-events reader: each {@code data:} line is one JSON event. */
final class SseClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private SseClient(CompletableFuture<HttpResponse<Stream<String>>> response) {
        this.response = response;
    }

    static SseClient open(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Stream<String>>> future = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        SseClient client = new SseClient(future);
        future.thenAccept(r -> {
            Thread reader = new Thread(() -> {
                try {
                    r.body().forEach(line -> {
                        if (line.startsWith("data:")) {
                            client.data.add(line.substring(5).trim());
                        }
                    });
                } catch (java.io.UncheckedIOException closed) {
                    // the test closed the stream
                }
            }, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        });
        return client;
    }

    JsonNode next(Duration timeout) throws Exception {
        String line = data.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no server-sent event within " + timeout);
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}

package dev.batchscope.infra.prometheus;

import dev.batchscope.launcher.LoopbackPorts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.infra.support.Tools;
import dev.batchscope.infra.support.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's /usr/bin/prometheus) on a free loopback port, with a generated
 * configuration, and a small client for its HTTP API. Everything it writes lives in one temporary directory
 * that {@link #close()} removes.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One scrape job: static targets ({@code host:port}) scraped at {@code metricsPath}. */
    public record ScrapeJob(String name, String metricsPath, List<String> targets) {
        public ScrapeJob {
            targets = List.copyOf(targets);
        }
    }

    /** One sample of an instant query: the series' labels (with {@code __name__} where there is one) and its value. */
    public record Sample(Map<String, String> labels, double value) {
        public String label(String name) {
            return labels.get(name);
        }
    }

    private PrometheusServer(Process process, Path dir, URI base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    /**
     * Starts Prometheus scraping {@code jobs} every {@code interval}, evaluating {@code ruleFiles} at the same
     * interval, and waits until it is ready.
     */
    public static PrometheusServer start(List<ScrapeJob> jobs, List<Path> ruleFiles, Duration interval)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("batchscope-prometheus");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, config(jobs, ruleFiles, interval), StandardCharsets.UTF_8);
        int port = freeLoopbackPort();
        Process process = new ProcessBuilder(List.of(
                Tools.prometheus().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(process, dir, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady();
        } catch (RuntimeException | Error | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The generated prometheus.yml: global intervals, the rule files (absolute paths) and one job per scrape job. */
    static String config(List<ScrapeJob> jobs, List<Path> ruleFiles, Duration interval) {
        ObjectNode root = Yaml.YAML.createObjectNode();
        ObjectNode global = root.putObject("global");
        global.put("scrape_interval", seconds(interval));
        global.put("evaluation_interval", seconds(interval));
        ArrayNode rules = root.putArray("rule_files");
        ruleFiles.forEach(file -> rules.add(file.toAbsolutePath().toString()));
        ArrayNode scrapeConfigs = root.putArray("scrape_configs");
        for (ScrapeJob job : jobs) {
            ObjectNode scrape = scrapeConfigs.addObject();
            scrape.put("job_name", job.name());
            scrape.put("metrics_path", job.metricsPath());
            ArrayNode targets = scrape.putArray("static_configs").addObject().putArray("targets");
            job.targets().forEach(targets::add);
        }
        return Yaml.write(root);
    }

    public URI uri() {
        return base;
    }

    /** Prometheus's own log, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Evaluates an instant query now. A query Prometheus rejects fails with Prometheus's error. */
    public List<Sample> query(String promql) {
        JsonNode data = get("/api/v1/query?query=" + encode(promql), promql);
        String type = data.path("resultType").asText();
        List<Sample> samples = new ArrayList<>();
        if ("scalar".equals(type)) {
            samples.add(new Sample(Map.of(), parseValue(data.path("result"))));
            return samples;
        }
        if (!"vector".equals(type)) {
            throw new AssertionError("instant query " + promql + " returned " + type + ", not a vector");
        }
        for (JsonNode result : data.path("result")) {
            samples.add(new Sample(labels(result.path("metric")), parseValue(result.path("value"))));
        }
        return samples;
    }

    /**
     * Evaluates a range query over the last {@code window} and returns each series' labels, as Grafana's
     * time-series panels ask. A series with no point in the window is absent.
     */
    public List<Map<String, String>> rangeQuerySeries(String promql, Duration window, Duration step) {
        // the API takes whole seconds: round the end up, or a series first scraped in the last second is not in it
        Instant end = Instant.now().plusSeconds(1);
        Instant start = end.minus(window);
        JsonNode data = get("/api/v1/query_range?query=" + encode(promql)
                + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond()
                + "&step=" + step.toSeconds(), promql);
        List<Map<String, String>> series = new ArrayList<>();
        for (JsonNode result : data.path("result")) {
            series.add(labels(result.path("metric")));
        }
        return series;
    }

    /** The values of {@code label} over the series that match {@code selector}: Grafana's label_values(). */
    public List<String> labelValues(String label, String selector) {
        JsonNode data = get("/api/v1/label/" + encode(label) + "/values?match[]=" + encode(selector),
                "label_values(" + selector + ", " + label + ")");
        List<String> values = new ArrayList<>();
        data.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Health of every scrape target, by scrape URL ({@code up}, {@code down} or {@code unknown}). */
    public Map<String, String> targetHealth() {
        JsonNode data = get("/api/v1/targets?state=active", "targets");
        Map<String, String> health = new TreeMap<>();
        for (JsonNode target : data.path("activeTargets")) {
            health.put(target.path("scrapeUrl").asText(), target.path("health").asText());
        }
        return health;
    }

    /** Polls {@code promql} until its samples satisfy {@code done}; fails with the last answer and the log. */
    public List<Sample> await(String promql, Predicate<List<Sample>> done, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<Sample> last = List.of();
        while (Instant.now().isBefore(deadline)) {
            last = query(promql);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("after " + timeout + " " + promql + " still gives " + last
                + "\ntargets: " + targetHealth() + "\nprometheus log:\n" + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteRecursively(dir);
    }

    private void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("prometheus was not ready within " + START_TIMEOUT + ":\n" + log());
    }

    private JsonNode get(String pathAndQuery, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("prometheus did not answer " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode body;
        try {
            body = Yaml.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("prometheus answered " + what + " with HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError("prometheus rejected " + what + ": " + body.path("errorType").asText() + ": "
                    + body.path("error").asText());
        }
        return body.path("data");
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = metric.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            labels.put(field.getKey(), field.getValue().asText());
        }
        return labels;
    }

    private static double parseValue(JsonNode pair) {
        return Double.parseDouble(pair.get(1).asText());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    static int freeLoopbackPort() {
        return LoopbackPorts.free();
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temp directory is not worth failing a test for
        }
    }
}

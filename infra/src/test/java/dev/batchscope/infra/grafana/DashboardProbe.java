package dev.batchscope.infra.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.infra.prometheus.PrometheusServer;
import dev.batchscope.infra.support.Yaml;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Asks a real Prometheus every query of a dashboard the way Grafana would: variables resolved with label_values or
 * query_result against that Prometheus (or set by the caller), expressions expanded, instant targets as instant
 * queries and the others as range queries over the recent past. The Infinity targets go to the real metrics-service's
 * series API with the URL, parameters and columns the panel names.
 */
public final class DashboardProbe {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final PrometheusServer prometheus;
    private final String scrapeInterval;
    private final Duration window;

    /** What one query returned: its expanded text and the label sets of its series. */
    public record Answer(Dashboard.Query query, String expanded, List<Map<String, String>> series) {
    }

    public DashboardProbe(PrometheusServer prometheus, String scrapeInterval, Duration window) {
        this.prometheus = prometheus;
        this.scrapeInterval = scrapeInterval;
        this.window = window;
    }

    /**
     * The dashboard's variables: those in {@code chosen} as given, every other query variable from its
     * label_values (all values for a multi-value variable, the first one otherwise, as Grafana's default).
     */
    public QueryExpander expander(Dashboard dashboard, Map<String, String> chosen) {
        QueryExpander expander = QueryExpander.forScrapeInterval(scrapeInterval, window.toMinutes() + "m");
        for (Dashboard.Variable variable : dashboard.variables()) {
            if (variable.type().equals("datasource")) {
                continue;
            }
            if (variable.type().equals("textbox")) {
                expander.set(variable.name(), chosen.getOrDefault(variable.name(), variable.query()));
                continue;
            }
            if (!variable.type().equals("query")) {
                throw new AssertionError(dashboard.file() + ": variable " + variable.name() + " of type "
                        + variable.type() + " is not one this probe knows");
            }
            List<String> values = options(variable, expander);
            if (chosen.containsKey(variable.name())) {
                String value = chosen.get(variable.name());
                // the caller picks the value, but Grafana offers only what the variable's query finds
                if (!values.contains(value)) {
                    throw new AssertionError(dashboard.file() + ": variable " + variable.name() + " ("
                            + variable.query() + ") does not offer " + value + ", only " + values);
                }
                expander.set(variable.name(), value);
            } else if (values.isEmpty() && variable.includeAll() && variable.allValue() != null) {
                // Grafana still offers "All" (a Prometheus without that label: compose has no namespace)
                expander.set(variable.name(), variable.allValue());
            } else if (values.isEmpty()) {
                throw new AssertionError(dashboard.file() + ": variable " + variable.name() + " ("
                        + variable.query() + ") has no values in Prometheus");
            } else if (variable.multi()) {
                expander.setAll(variable.name(), values);
            } else {
                expander.set(variable.name(), values.get(0));
            }
        }
        return expander;
    }

    /**
     * The values a query variable offers, in Grafana's order: label_values sorted; query_result in the order of the
     * query's result (sort 0), each result line written as Grafana writes it ({labels} value timestamp) and passed
     * through the variable's regex, whose named group value is the option's value.
     */
    public List<String> options(Dashboard.Variable variable, QueryExpander expander) {
        String query = expander.expand(variable.query());
        if (!QueryExpander.isQueryResult(query)) {
            QueryExpander.LabelValuesQuery labelValues = QueryExpander.parseLabelValues(query);
            return prometheus.labelValues(labelValues.label(), labelValues.selector());
        }
        Pattern regex = variable.regex().isEmpty() ? null
                : Pattern.compile(variable.regex().substring(1, variable.regex().lastIndexOf('/')));
        List<String> values = new ArrayList<>();
        for (PrometheusServer.Sample sample : prometheus.query(QueryExpander.parseQueryResult(query))) {
            String line = sample.labels().entrySet().stream().filter(e -> !e.getKey().equals("__name__"))
                    .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                    .collect(Collectors.joining(",", sample.labels().getOrDefault("__name__", "") + "{", "}"))
                    + " " + sample.value() + " 0";
            if (regex == null) {
                values.add(line);
                continue;
            }
            Matcher matcher = regex.matcher(line);
            if (matcher.find()) {
                values.add(matcher.group("value"));
            }
        }
        if (variable.sort() != 0) {
            throw new AssertionError(variable.name() + ": a query_result variable keeps its query's order (sort 0)");
        }
        return values;
    }

    /** What a flat table of the series API answered one Infinity target: its URL and its rows, column by column. */
    public record TableAnswer(Dashboard.InfinityQuery query, URI url, List<Map<String, Object>> rows) {
        /** The rows by the panel's series field, in order. */
        public Map<String, List<Map<String, Object>>> series() {
            Map<String, List<Map<String, Object>>> series = new LinkedHashMap<>();
            rows.forEach(r -> series.computeIfAbsent(String.valueOf(r.get(query.seriesField())),
                    k -> new ArrayList<>()).add(r));
            return series;
        }
    }

    /**
     * Every Infinity target of the dashboard, asked of the real metrics-service as the datasource would: the base URL
     * and the target's path, its parameters with the variables expanded, the root selector (empty: the rows are the
     * document) and the named columns of each row (a missing column, or a number column that is not a number, fails).
     */
    public List<TableAnswer> askSeriesApi(Dashboard dashboard, Map<String, String> chosen, URI seriesApi) {
        QueryExpander expander = expander(dashboard, chosen);
        List<TableAnswer> answers = new ArrayList<>();
        for (Dashboard.InfinityQuery query : dashboard.infinityQueries()) {
            if (!query.rootSelector().isEmpty()) {
                throw new AssertionError(query + ": a root selector other than the whole document is not checked here");
            }
            StringBuilder url = new StringBuilder(seriesApi.toString().replaceAll("/$", "")).append(query.path());
            String sep = "?";
            for (Map.Entry<String, String> p : query.params().entrySet()) {
                url.append(sep).append(p.getKey()).append('=')
                        .append(URLEncoder.encode(expander.expandForUrl(p.getValue()), StandardCharsets.UTF_8));
                sep = "&";
            }
            URI uri = URI.create(url.toString());
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError(query + ": " + uri + " answered " + response.statusCode() + " "
                            + response.body());
                }
                List<Map<String, Object>> rows = new ArrayList<>();
                for (JsonNode row : Yaml.JSON.readTree(response.body())) {
                    Map<String, Object> columns = new LinkedHashMap<>();
                    query.columns().forEach((selector, type) -> {
                        JsonNode value = row.get(selector);
                        if (value == null) {
                            throw new AssertionError(query + ": a row of " + uri + " has no column " + selector);
                        }
                        if (type.equals("number") && !value.isNull() && !value.isNumber()) {
                            throw new AssertionError(query + ": column " + selector + " is not a number: " + value);
                        }
                        columns.put(selector, value.isNull() ? null : value.isNumber() ? value.asDouble() : value.asText());
                    });
                    rows.add(columns);
                }
                answers.add(new TableAnswer(query, uri, rows));
            } catch (java.io.IOException e) {
                throw new AssertionError(query + ": " + uri + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return answers;
    }

    /**
     * What is wrong with the tables: no rows; a curve panel whose run series are not one per batch size (each labelled
     * with one batch size), or that does not start at the first step (x=step: iteration 1; x=samples: one batch); a
     * scaling panel without one measured point per batch size and the fitted curve; a study panel without cells of every
     * batch size and one best learning rate each; a B_crit panel without B_crit (inside its interval).
     */
    public static List<String> tableProblems(List<TableAnswer> answers, Set<String> batchSizes,
                                             Map<String, Integer> effective) {
        List<String> problems = new ArrayList<>();
        for (TableAnswer answer : answers) {
            Dashboard.InfinityQuery q = answer.query();
            if (answer.rows().isEmpty()) {
                problems.add("no rows: " + q + "\n    sent: " + answer.url());
                continue;
            }
            if (q.path().endsWith("/study")) {
                problems.addAll(studyProblems(answer, batchSizes, effective));
                continue;
            }
            if (q.path().endsWith("/critical-batch-size")) {
                problems.addAll(criticalBatchSizeProblems(answer));
                continue;
            }
            boolean scaling = q.path().endsWith("/scaling");
            String lineKind = scaling ? "measured" : "run";
            Map<String, String> batchSizeOfSeries = new LinkedHashMap<>();
            List<Map<String, Object>> lineRows = answer.rows().stream()
                    .filter(r -> lineKind.equals(r.get("kind"))).collect(Collectors.toList());
            for (Map<String, Object> row : lineRows) {
                String batchSize = scaling ? effectiveToLabel(effective, ((Double) row.get("batchSize")).intValue())
                        : String.valueOf(row.get("batchSize"));
                String before = batchSizeOfSeries.putIfAbsent(String.valueOf(row.get(q.seriesField()))
                        + (scaling ? "@" + batchSize : ""), batchSize);
                if (before != null && !before.equals(batchSize)) {
                    problems.add("series " + row.get(q.seriesField()) + " mixes batch sizes: " + q);
                }
            }
            List<String> sizes = new ArrayList<>(batchSizeOfSeries.values());
            if (sizes.size() != new TreeSet<>(sizes).size() || !new TreeSet<>(sizes).equals(new TreeSet<>(batchSizes))) {
                problems.add("not one series per batch size " + new TreeSet<>(batchSizes) + " but " + sizes + ": " + q);
            }
            if (scaling) {
                if (answer.rows().stream().noneMatch(r -> "fit".equals(r.get("kind")))) {
                    problems.add("no fitted curve: " + q);
                }
                continue;
            }
            String x = q.params().get("x");
            String metric = q.params().get("metric");
            boolean titleSaysIterations = q.panelTitle().contains("iterations");
            boolean titleSaysSamples = q.panelTitle().contains("samples");
            if (titleSaysIterations != "step".equals(x) || titleSaysSamples != "samples".equals(x)) {
                problems.add("the title says one x axis, the query asks x=" + x + ": " + q);
            }
            if (metric != null && metric.startsWith("train_loss")) {
                answer.series().forEach((series, rows) -> {
                    if (!"run".equals(rows.get(0).get("kind"))) {
                        return;
                    }
                    double minX = rows.stream().mapToDouble(r -> (Double) r.get(q.xField())).min().orElseThrow();
                    String label = String.valueOf(rows.get(0).get("batchSize"));
                    double first = "step".equals(x) ? 1 : effective.get(label);
                    if (minX != first) {
                        problems.add(series + " starts at x=" + minX + ", not at the first step (" + first + "): " + q);
                    }
                });
            }
        }
        return problems;
    }

    /**
     * A study panel: cells of every batch size, and (every batch size of the probe's sweep reaches the target) exactly
     * one best learning rate per batch size.
     */
    private static List<String> studyProblems(TableAnswer answer, Set<String> batchSizes,
                                              Map<String, Integer> effective) {
        Dashboard.InfinityQuery q = answer.query();
        List<String> problems = new ArrayList<>();
        if (!q.columns().containsKey("batchSize") || !q.columns().containsKey("best")) {
            return List.of("a study panel that reads no batchSize or best column: " + q);
        }
        Set<String> sizes = new TreeSet<>();
        List<String> best = new ArrayList<>();
        for (Map<String, Object> row : answer.rows()) {
            String size = effectiveToLabel(effective, ((Double) row.get("batchSize")).intValue());
            sizes.add(size);
            if ("true".equals(String.valueOf(row.get("best")))) {
                best.add(size);
            }
        }
        if (!sizes.equals(new TreeSet<>(batchSizes))) {
            problems.add("cells of batch sizes " + sizes + ", not " + new TreeSet<>(batchSizes) + ": " + q);
        }
        if (best.size() != new TreeSet<>(best).size() || !new TreeSet<>(best).equals(new TreeSet<>(batchSizes))) {
            problems.add("not one best learning rate per batch size " + new TreeSet<>(batchSizes) + " but " + best
                    + ": " + q);
        }
        return problems;
    }

    /** The B_crit panel: one row for the one sweep, with B_crit inside its interval where there is one. */
    private static List<String> criticalBatchSizeProblems(TableAnswer answer) {
        Dashboard.InfinityQuery q = answer.query();
        if (answer.rows().size() != 1) {
            return List.of("not one row per sweep but " + answer.rows().size() + ": " + q);
        }
        Map<String, Object> row = answer.rows().get(0);
        Double value = (Double) row.get("criticalBatchSize");
        if (value == null) {
            return List.of("no B_crit: " + q + "\n    sent: " + answer.url());
        }
        Double low = (Double) row.get("low");
        Double high = (Double) row.get("high");
        if ((low != null && low > value) || (high != null && high < value)) {
            return List.of("B_crit " + value + " outside its interval [" + low + ", " + high + "]: " + q);
        }
        return List.of();
    }

    private static String effectiveToLabel(Map<String, Integer> effective, int size) {
        return effective.entrySet().stream().filter(e -> e.getValue() == size).map(Map.Entry::getKey).findFirst()
                .orElse(Integer.toString(size));
    }

    /** Every query of the dashboard, asked. */
    public List<Answer> ask(Dashboard dashboard, Map<String, String> chosen) {
        QueryExpander expander = expander(dashboard, chosen);
        List<Answer> answers = new ArrayList<>();
        for (Dashboard.Query query : dashboard.queries()) {
            String expanded = expander.expand(query.expr());
            List<Map<String, String>> series = query.instant()
                    ? prometheus.query(expanded).stream().map(PrometheusServer.Sample::labels).collect(Collectors.toList())
                    : prometheus.rangeQuerySeries(expanded, window, Duration.ofSeconds(Math.max(1, window.toSeconds() / 60)));
            answers.add(new Answer(query, expanded, series));
        }
        return answers;
    }

    /**
     * What is wrong with the answers: a query with no series, or a per-batch-size target whose series are not
     * exactly one per expected batch size.
     */
    public static List<String> problems(List<Answer> answers, Set<String> expectedBatchSizes) {
        List<String> problems = new ArrayList<>();
        for (Answer answer : answers) {
            if (answer.series().isEmpty()) {
                problems.add("no series: " + answer.query() + "\n    sent: " + answer.expanded());
                continue;
            }
            if (answer.query().perBatchSize()) {
                List<String> batchSizes = answer.series().stream().map(s -> s.get("batch_size"))
                        .collect(Collectors.toList());
                Set<String> distinct = new TreeSet<>(batchSizes);
                if (batchSizes.size() != distinct.size() || !distinct.equals(new TreeSet<>(expectedBatchSizes))) {
                    problems.add("not one series per batch size " + new TreeSet<>(expectedBatchSizes) + " but "
                            + batchSizes + ": " + answer.query());
                }
            }
        }
        return problems;
    }

    /** Series counts per query, for a readable test log. */
    public static Map<String, Integer> summary(List<Answer> answers) {
        Map<String, Integer> summary = new LinkedHashMap<>();
        answers.forEach(a -> summary.put(a.query().dashboardUid() + "#" + a.query().panelId() + a.query().refId(),
                a.series().size()));
        return summary;
    }
}

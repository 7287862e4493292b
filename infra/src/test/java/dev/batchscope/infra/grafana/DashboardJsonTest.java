package dev.batchscope.infra.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.Tools;
import dev.batchscope.infra.support.Yaml;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboards of infra/grafana/dashboards: well-formed, portable, on the contract's metric names. */
class DashboardJsonTest {
    /** Links and bookmarks use these: a uid never changes once published. */
    private static final Map<String, String> STABLE_UIDS = Map.of(
            "batch-size-comparison.json", "batchscope-batch-size-comparison",
            "service-health.json", "batchscope-service-health");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([A-Za-z_:][A-Za-z0-9_:]*)\\s*(\\(?)");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "sum", "avg", "max", "min", "count", "rate", "increase", "histogram_quantile", "and",
            "or", "unless", "offset", "bool", "topk", "bottomk", "quantile", "abs", "clamp_min", "clamp_max",
            "sort_desc", "max_over_time", "min_over_time");

    @Test
    void everyDashboardFileIsKnownAndKeepsItsUid() {
        List<Dashboard> dashboards = Dashboard.all();
        Map<String, String> uids = new TreeMap<>();
        dashboards.forEach(d -> uids.put(d.file().getFileName().toString(), d.uid()));
        assertEquals(new TreeMap<>(STABLE_UIDS), uids);
    }

    @Test
    void everyDatasourceReferenceIsTheDatasourceVariable() {
        for (Dashboard dashboard : Dashboard.all()) {
            List<String> offenders = new ArrayList<>();
            collectDatasourceReferences(dashboard.json(), "$", offenders);
            assertEquals(List.of(), offenders, dashboard.file()
                    + ": datasource references that are neither ${datasource} (Prometheus) nor ${series_api} (Infinity)");
            Dashboard.Variable datasource = dashboard.variables().stream()
                    .filter(v -> v.name().equals("datasource")).findFirst()
                    .orElseThrow(() -> new AssertionError(dashboard.file() + " has no datasource variable"));
            assertEquals("datasource", datasource.type());
            assertEquals("prometheus", datasource.query());
            if (!dashboard.infinityQueries().isEmpty()) {
                Dashboard.Variable seriesApi = dashboard.variables().stream()
                        .filter(v -> v.name().equals("series_api")).findFirst()
                        .orElseThrow(() -> new AssertionError(dashboard.file() + " has no series_api variable"));
                assertEquals("datasource", seriesApi.type());
                assertEquals(Dashboard.INFINITY, seriesApi.query());
            }
            for (JsonNode panel : dashboard.panels()) {
                assertTrue(panel.has("datasource") || panel.path("type").asText().equals("row"),
                        dashboard.file() + " panel " + panel.path("id") + " names no datasource");
                for (JsonNode target : panel.path("targets")) {
                    assertTrue(target.has("datasource"),
                            dashboard.file() + " panel " + panel.path("id") + " target without datasource");
                }
            }
        }
    }

    @Test
    void panelIdsAreUniqueAndEveryPanelHasATitleAndAPlace() {
        for (Dashboard dashboard : Dashboard.all()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.panels()) {
                assertTrue(panel.path("id").isInt(), dashboard.file() + ": panel without an integer id: " + panel.path("title"));
                assertTrue(ids.add(panel.path("id").asInt()), dashboard.file() + ": duplicate panel id " + panel.path("id"));
                assertFalse(panel.path("title").asText().isBlank(), dashboard.file() + ": panel " + panel.path("id") + " has no title");
                JsonNode grid = panel.path("gridPos");
                assertTrue(grid.path("w").asInt() > 0 && grid.path("h").asInt() > 0
                        && grid.path("x").asInt() + grid.path("w").asInt() <= 24,
                        dashboard.file() + ": panel " + panel.path("id") + " has no valid gridPos");
            }
        }
    }

    /** A panel without a query would pass the end-to-end test by having nothing to ask. */
    @Test
    void everyPanelButRowsShowsAtLeastOneQuery() {
        for (Dashboard dashboard : Dashboard.all()) {
            for (JsonNode panel : dashboard.panels()) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                int id = panel.path("id").asInt();
                assertTrue(dashboard.queries().stream().anyMatch(q -> q.panelId() == id)
                                || dashboard.infinityQueries().stream().anyMatch(q -> q.panelId() == id),
                        dashboard.file() + ": panel " + id + " \"" + panel.path("title").asText()
                                + "\" has no visible PromQL or series API target");
            }
        }
    }

    @Test
    void variablesCarryNoHardCodedSelection() {
        for (Dashboard dashboard : Dashboard.all()) {
            for (JsonNode variable : dashboard.json().path("templating").path("list")) {
                JsonNode current = variable.path("current");
                assertTrue(current.isMissingNode() || current.isEmpty(),
                        dashboard.file() + ": variable " + variable.path("name") + " pins a current value");
                JsonNode options = variable.path("options");
                assertTrue(options.isMissingNode() || options.isEmpty(),
                        dashboard.file() + ": variable " + variable.path("name") + " carries stored options");
            }
        }
    }

    @Test
    void batchSizeComparisonHasTheSweepVariableAndEveryPanelOfTheIssue() {
        Dashboard dashboard = Dashboard.read(Repo.infra("grafana/dashboards/batch-size-comparison.json"));
        Dashboard.Variable sweep = variable(dashboard, "sweep");
        // newest first (the query's order: sort_desc of the creation time, sort 0), shown by name, several at once
        assertEquals("query", sweep.type());
        assertTrue(QueryExpander.isQueryResult(sweep.query()), sweep.query());
        assertTrue(QueryExpander.parseQueryResult(sweep.query()).contains("sort_desc("), sweep.query());
        assertTrue(QueryExpander.parseQueryResult(sweep.query()).contains("batchscope_sweep_created_timestamp_seconds"));
        assertEquals(0, sweep.sort());
        assertTrue(sweep.regex().contains("(?<text>") && sweep.regex().contains("(?<value>"), sweep.regex());
        assertTrue(sweep.multi());
        assertEquals("label_values(batchscope_build_info, namespace)", variable(dashboard, "namespace").query());
        assertEquals("textbox", variable(dashboard, "live_url").type());
        assertEquals("now-15m", dashboard.json().path("time").path("from").asText());

        for (Dashboard.Query query : dashboard.queries()) {
            assertTrue(query.expr().contains("sweep=~\"$sweep\""), "not filtered by the sweep variable: " + query);
        }
        for (Dashboard.InfinityQuery query : dashboard.infinityQueries()) {
            assertEquals("${sweep:csv}", query.params().get("sweep"), "not the selected sweeps: " + query);
        }
        // the textbook's charts: loss against iterations and samples, steps and samples to target against B
        assertEquals(List.of("step", "samples"), dashboard.infinityQueries().stream()
                .filter(q -> q.path().equals("/api/v1/points") && "train_loss_ema".equals(q.params().get("metric")))
                .map(q -> q.params().get("x")).collect(Collectors.toList()));
        assertEquals(List.of("steps", "samples"), dashboard.infinityQueries().stream()
                .filter(q -> q.path().equals("/api/v1/scaling")).map(Dashboard.InfinityQuery::yField)
                .collect(Collectors.toList()));
        for (JsonNode panel : dashboard.panels()) {
            if (panel.path("type").asText().equals("xychart")) {
                assertEquals("auto", panel.path("options").path("mapping").asText());
                if (panel.path("title").asText().contains("against batch size")) {
                    // log-log: y in the defaults, x in the override of the x field
                    assertEquals("log", panel.path("fieldConfig").path("defaults").path("custom")
                            .path("scaleDistribution").path("type").asText(), panel.path("title") + ": y axis");
                    assertTrue(panel.path("fieldConfig").path("overrides").toString()
                            .contains("\"id\":\"custom.scaleDistribution\",\"value\":{\"type\":\"log\""),
                            panel.path("title") + ": x axis");
                }
            }
        }
        // the study (design §7): best learning rate against B, the grid's steps to target, B_crit beside B_simple
        JsonNode study = panel(dashboard, "Study: best learning rate, steps to target per cell, B_crit");
        assertEquals("row", study.path("type").asText());
        JsonNode bestLr = panel(dashboard, "Best learning rate against batch size");
        assertEquals("xychart", bestLr.path("type").asText());
        Dashboard.InfinityQuery bestLrQuery = infinityQuery(dashboard, bestLr);
        assertEquals("/api/v1/study", bestLrQuery.path());
        assertEquals("learningRate", bestLrQuery.yField());
        assertEquals("batchSize", bestLrQuery.xField());
        JsonNode grid = panel(dashboard, "Steps to target by batch size and learning rate");
        assertEquals("table", grid.path("type").asText());
        assertEquals("/api/v1/study", infinityQuery(dashboard, grid).path());
        JsonNode matrix = grid.path("transformations").path(0);
        assertEquals("groupingToMatrix", matrix.path("id").asText());
        assertEquals("row", matrix.path("options").path("rowField").asText());
        assertEquals("learningRate", matrix.path("options").path("columnField").asText());
        assertEquals("meanSteps", matrix.path("options").path("valueField").asText());
        assertEquals("color-background", grid.path("fieldConfig").path("defaults").path("custom")
                .path("cellOptions").path("type").asText());
        JsonNode critical = panel(dashboard, "B_crit with its interval beside B_simple at the target");
        assertEquals("stat", critical.path("type").asText());
        Dashboard.InfinityQuery criticalQuery = infinityQuery(dashboard, critical);
        assertEquals("/api/v1/critical-batch-size", criticalQuery.path());
        assertTrue(criticalQuery.columns().keySet().containsAll(List.of("criticalBatchSize", "low", "high",
                "noiseScaleAtTarget")), criticalQuery.columns().toString());
        for (String field : List.of("criticalBatchSize", "low", "high", "noiseScaleAtTarget")) {
            assertTrue(critical.path("options").path("reduceOptions").path("fields").asText().contains(field), field);
        }
        for (JsonNode panel : List.of(bestLr, grid, critical)) {
            assertTrue(panel.path("gridPos").path("y").asInt() > study.path("gridPos").path("y").asInt(),
                    panel.path("title") + " is in the Study row");
        }
        // per-epoch values and B_crit are steps, not lines between measurements
        for (String title : List.of("Validation accuracy", "Validation loss")) {
            assertEquals("stepAfter", panel(dashboard, title).path("fieldConfig").path("defaults").path("custom")
                    .path("lineInterpolation").asText(), title);
        }
        // the target loss as a threshold taken from the data
        JsonNode loss = panel(dashboard, "Training loss (EMA) over time");
        assertEquals("configFromData", loss.path("transformations").path(0).path("id").asText());
        assertEquals("dashed", loss.path("fieldConfig").path("defaults").path("custom").path("thresholdsStyle")
                .path("mode").asText());
        // throughput from the samples counter, never a gauge of its own
        assertTrue(metricsOfPanel(dashboard, panel(dashboard, "Throughput"))
                .contains("sweep_batch_size:batchscope_samples_seen:rate1m"));
        assertEquals("state-timeline", panel(dashboard, "Run states").path("type").asText());
        assertTrue(metricsOfPanel(dashboard, panel(dashboard, "Critical batch size beside the noise scale"))
                .containsAll(List.of("batchscope_sweep_critical_batch_size", "batchscope_sweep_noise_scale")));
        // each sweep links to its live page
        assertTrue(panel(dashboard, "Sweeps").toString().contains("${live_url}/?sweep=${__data.fields.Id}"));
        // numeric sorting of batch sizes in the runs table
        assertTrue(panel(dashboard, "Runs").path("transformations").toString()
                .contains("\"targetField\":\"effective_batch_size\",\"destinationType\":\"number\""));
        // the metrics the issue found unused
        Set<String> shown = dashboard.queries().stream().flatMap(q -> metricsIn(q.expr()).stream())
                .collect(Collectors.toSet());
        for (String metric : List.of("batchscope_sweep_min_steps", "batchscope_sweep_min_samples",
                "sweep_batch_size:batchscope_gradient_norm:avg", "batchscope_epoch")) {
            assertTrue(shown.contains(metric), metric + " is not shown");
        }
    }

    private static Dashboard.Variable variable(Dashboard dashboard, String name) {
        return dashboard.variables().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no variable " + name));
    }

    private static Dashboard.InfinityQuery infinityQuery(Dashboard dashboard, JsonNode panel) {
        List<Dashboard.InfinityQuery> queries = dashboard.infinityQueries().stream()
                .filter(q -> q.panelId() == panel.path("id").asInt()).collect(Collectors.toList());
        assertEquals(1, queries.size(), panel.path("title") + ": one series API target");
        return queries.get(0);
    }

    private static JsonNode panel(Dashboard dashboard, String title) {
        return dashboard.panels().stream().filter(p -> p.path("title").asText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no panel " + title));
    }

    @Test
    void serviceHealthShowsEventsDelayTrackedRunsAndTheJvm() {
        Dashboard dashboard = Dashboard.read(Repo.infra("grafana/dashboards/service-health.json"));
        assertEquals(1, panelsQuerying(dashboard, "batchscope_events_consumed_total", "timeseries").size());
        assertEquals(1, panelsQuerying(dashboard, "batchscope_events_dead_lettered_total", "timeseries").size());
        assertEquals(1, panelsQuerying(dashboard, "batchscope_events_skipped_total", "timeseries").size());
        assertEquals(1, panelsQuerying(dashboard, "kafka_consumer_fetch_manager_records_lag_max", "timeseries").size());
        assertEquals("label_values(batchscope_build_info{namespace=~\"$namespace\"}, job)",
                variable(dashboard, "job").query());
        assertEquals(1, panelsQuerying(dashboard, "batchscope_event_delay_seconds_bucket", "heatmap").size());
        assertEquals(1, panelsQuerying(dashboard, "batchscope_tracked_runs", "timeseries").size());
        assertFalse(panelsQuerying(dashboard, "jvm_memory_used_bytes", "timeseries").isEmpty());
        assertFalse(panelsQuerying(dashboard, "jvm_gc_pause_seconds_sum", "timeseries").isEmpty());
    }

    @Test
    void everyQueryUsesOnlyContractMetricNames() {
        for (Dashboard dashboard : Dashboard.all()) {
            for (Dashboard.Query query : dashboard.queries()) {
                for (String metric : metricsIn(query.expr())) {
                    assertTrue(ContractMetrics.known(metric), "unknown metric " + metric + " in " + query);
                }
            }
        }
    }

    /**
     * Every expression, with the variables substituted as Grafana would, is valid PromQL: promtool parses
     * it as a recording rule. (Whether each returns series is the end-to-end test's question.)
     */
    @Test
    void everyExpressionIsValidPromqlForPromtool() throws IOException {
        ObjectNode rules = Yaml.YAML.createObjectNode();
        ArrayNode groups = rules.putArray("groups");
        int count = 0;
        for (Dashboard dashboard : Dashboard.all()) {
            QueryExpander expander = exampleExpander(dashboard);
            ObjectNode group = groups.addObject();
            group.put("name", dashboard.uid());
            ArrayNode list = group.putArray("rules");
            for (Dashboard.Query query : dashboard.queries()) {
                ObjectNode rule = list.addObject();
                rule.put("record", "dashboard:" + dashboard.uid().replace('-', '_') + ":panel" + query.panelId()
                        + "_" + query.refId());
                rule.put("expr", expander.expand(query.expr()));
                count++;
            }
            for (Dashboard.Variable variable : dashboard.variables()) {
                if (variable.type().equals("query")) {
                    ObjectNode rule = list.addObject();
                    rule.put("record", "dashboard:" + dashboard.uid().replace('-', '_') + ":variable_" + variable.name());
                    String query = expander.expand(variable.query());
                    rule.put("expr", QueryExpander.isQueryResult(query) ? QueryExpander.parseQueryResult(query)
                            : QueryExpander.parseLabelValues(query).selector());
                    count++;
                }
            }
        }
        Path file = Repo.target("dashboard-promql").resolve("dashboard-queries.rules.yml");
        Files.writeString(file, Yaml.write(rules), StandardCharsets.UTF_8);
        String output = Tools.runOk(List.of(Tools.promtool().toString(), "check", "rules", file.toString()),
                file.getParent(), Duration.ofMinutes(1));
        assertTrue(output.contains(count + " rules found"), output);
    }

    /** Variables set to plausible values: promtool checks syntax, not data. */
    static QueryExpander exampleExpander(Dashboard dashboard) {
        QueryExpander expander = QueryExpander.forScrapeInterval("15s", "1h");
        for (Dashboard.Variable variable : dashboard.variables()) {
            if (variable.type().equals("datasource")) {
                continue;
            }
            if (variable.type().equals("textbox")) {
                expander.set(variable.name(), variable.query());
            } else if (variable.multi()) {
                expander.setAll(variable.name(), List.of("scheduler-service", "metrics-service"));
            } else {
                expander.set(variable.name(), "sweep-0001");
            }
        }
        return expander;
    }

    /** The metric names an expression selects (label lists, matchers, ranges and functions left out). */
    static Set<String> metricsIn(String expr) {
        String stripped = expr.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ");
        Set<String> metrics = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            boolean function = matcher.group(2).equals("(");
            if (!function && !PROMQL_WORDS.contains(matcher.group(1))) {
                metrics.add(matcher.group(1));
            }
        }
        return metrics;
    }

    private static List<JsonNode> panelsQuerying(Dashboard dashboard, String metric, String type) {
        return dashboard.panels().stream()
                .filter(panel -> panel.path("type").asText().equals(type))
                .filter(panel -> metricsOfPanel(dashboard, panel).contains(metric))
                .collect(Collectors.toList());
    }

    private static Set<String> metricsOfPanel(Dashboard dashboard, JsonNode panel) {
        return dashboard.queries().stream().filter(q -> q.panelId() == panel.path("id").asInt())
                .flatMap(q -> metricsIn(q.expr()).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void collectDatasourceReferences(JsonNode node, String path, List<String> offenders) {
        if (node.isObject()) {
            boolean datasourceVariable = "datasource".equals(node.path("type").asText()) && node.has("name");
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("datasource") && !datasourceVariable) {
                    JsonNode ref = field.getValue();
                    boolean ok = ref.isObject() && (("${datasource}".equals(ref.path("uid").asText())
                            && "prometheus".equals(ref.path("type").asText()))
                            || ("${series_api}".equals(ref.path("uid").asText())
                            && Dashboard.INFINITY.equals(ref.path("type").asText())));
                    if (!ok) {
                        offenders.add(path + ".datasource = " + ref);
                    }
                }
                collectDatasourceReferences(field.getValue(), path + "." + field.getKey(), offenders);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectDatasourceReferences(node.get(i), path + "[" + i + "]", offenders);
            }
        }
    }
}

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
            "or", "unless", "offset", "bool", "topk", "bottomk", "quantile", "abs", "clamp_min", "clamp_max");

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
            assertEquals(List.of(), offenders, dashboard.file() + ": datasource references that are not ${datasource}");
            Dashboard.Variable datasource = dashboard.variables().stream()
                    .filter(v -> v.name().equals("datasource")).findFirst()
                    .orElseThrow(() -> new AssertionError(dashboard.file() + " has no datasource variable"));
            assertEquals("datasource", datasource.type());
            assertEquals("prometheus", datasource.query());
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
    void everyPanelButRowsShowsAtLeastOnePromqlQuery() {
        for (Dashboard dashboard : Dashboard.all()) {
            for (JsonNode panel : dashboard.panels()) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                int id = panel.path("id").asInt();
                assertTrue(dashboard.queries().stream().anyMatch(q -> q.panelId() == id),
                        dashboard.file() + ": panel " + id + " \"" + panel.path("title").asText()
                                + "\" has no visible PromQL target");
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
        Dashboard.Variable sweep = dashboard.variables().stream().filter(v -> v.name().equals("sweep")).findFirst()
                .orElseThrow(() -> new AssertionError("no sweep variable"));
        assertEquals("query", sweep.type());
        QueryExpander.LabelValuesQuery labelValues = QueryExpander.parseLabelValues(sweep.query());
        assertEquals("sweep", labelValues.label());

        for (Dashboard.Query query : dashboard.queries()) {
            assertTrue(query.expr().contains("sweep=\"$sweep\""), "not filtered by the sweep variable: " + query);
        }
        // one line per batch size: the time series of each per-run metric are averaged over seeds by batch size
        for (String metric : List.of("batchscope_train_loss", "batchscope_train_loss_ema",
                "batchscope_validation_loss", "batchscope_validation_accuracy", "batchscope_gradient_variance",
                "batchscope_gradient_noise_scale", "batchscope_samples_per_second", "batchscope_learning_rate",
                "batchscope_samples_seen_total")) {
            List<JsonNode> panels = panelsQuerying(dashboard, metric, "timeseries");
            assertEquals(1, panels.size(), "expected one time-series panel of " + metric);
            dashboard.queries().stream().filter(q -> q.panelId() == panels.get(0).path("id").asInt())
                    .filter(q -> metricsIn(q.expr()).contains(metric))
                    .forEach(q -> assertTrue(q.perBatchSize(), "not one series per batch size: " + q));
        }
        JsonNode noise = panelsQuerying(dashboard, "batchscope_gradient_noise_scale", "timeseries").get(0);
        assertTrue(metricsOfPanel(dashboard, noise).contains("batchscope_sweep_critical_batch_size"),
                "the noise scale panel does not show the sweep's critical batch size");
        JsonNode bars = panelsQuerying(dashboard, "batchscope_sweep_steps_to_target", "barchart").get(0);
        assertTrue(metricsOfPanel(dashboard, bars).contains("batchscope_sweep_samples_to_target"),
                "steps and samples to target belong in one bar panel");
        assertEquals(1, panelsQuerying(dashboard, "batchscope_run_state", "table").size(), "no run table with states");
    }

    @Test
    void serviceHealthShowsEventsDelayTrackedRunsAndTheJvm() {
        Dashboard dashboard = Dashboard.read(Repo.infra("grafana/dashboards/service-health.json"));
        assertEquals(1, panelsQuerying(dashboard, "batchscope_events_consumed_total", "timeseries").size());
        assertEquals(1, panelsQuerying(dashboard, "batchscope_events_rejected_total", "timeseries").size());
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
                    rule.put("expr", QueryExpander.parseLabelValues(variable.query()).selector());
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
            if (variable.multi()) {
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
                    boolean ok = ref.isObject() && "${datasource}".equals(ref.path("uid").asText())
                            && "prometheus".equals(ref.path("type").asText());
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

package dev.batchscope.infra.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.infra.support.Repo;
import dev.batchscope.infra.support.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A provisioned Grafana dashboard of infra/grafana/dashboards: its panels, PromQL targets and variables. */
public final class Dashboard {
    /**
     * What makes a target one line per batch size: it reads a per-batch-size recording rule (seeds averaged), or its
     * outermost aggregation keeps batch_size but not the run.
     */
    private static final Pattern PER_BATCH_SIZE = Pattern.compile(
            "^\\s*(sweep_batch_size:\\w+:\\w+|(avg|sum|max|min|count)\\s+by\\s*\\((?![^)]*\\brun\\b)[^)]*\\bbatch_size\\b[^)]*\\))");
    static final String INFINITY = "yesoreyeram-infinity-datasource";

    private final Path file;
    private final JsonNode json;

    /** One PromQL target of a panel. */
    public record Query(String dashboardUid, int panelId, String panelTitle, String refId, String expr,
                        boolean instant) {
        /** Whether the panel shows this target as one series per batch size. */
        public boolean perBatchSize() {
            return PER_BATCH_SIZE.matcher(expr).find();
        }

        @Override
        public String toString() {
            return dashboardUid + " panel " + panelId + " \"" + panelTitle + "\" target " + refId + ": " + expr;
        }
    }

    /**
     * A target of the Infinity datasource: the URL path and query parameters it asks the metrics-service for, the
     * columns it reads from each row, the field the panel splits into series and the fields it plots.
     */
    public record InfinityQuery(String dashboardUid, int panelId, String panelTitle, String refId, String path,
                                Map<String, String> params, String rootSelector, Map<String, String> columns,
                                String seriesField, String xField, String yField) {
        @Override
        public String toString() {
            return dashboardUid + " panel " + panelId + " \"" + panelTitle + "\" target " + refId + ": " + path + params;
        }
    }

    /**
     * A template variable: its name, type, for query variables the query text, and the regex that turns each result
     * into an option (named groups text and value).
     */
    public record Variable(String name, String type, String query, boolean multi, boolean includeAll,
                           String allValue, String regex, int sort) {
    }

    private Dashboard(Path file, JsonNode json) {
        this.file = file;
        this.json = json;
    }

    public static Dashboard read(Path file) {
        return new Dashboard(file, Yaml.readJson(file));
    }

    /** Every dashboard JSON in infra/grafana/dashboards. */
    public static List<Dashboard> all() {
        Path dir = Repo.infra("grafana/dashboards");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".json")).sorted()
                    .map(Dashboard::read).collect(Collectors.toList());
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir, e);
        }
    }

    public Path file() {
        return file;
    }

    public JsonNode json() {
        return json;
    }

    public String uid() {
        return json.path("uid").asText();
    }

    /** Every panel, including those nested in rows. */
    public List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(json.path("panels"), panels);
        return panels;
    }

    public List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                if (target.has("expr") && !target.path("hide").asBoolean(false)) {
                    queries.add(new Query(uid(), panel.path("id").asInt(), panel.path("title").asText(),
                            target.path("refId").asText(), target.path("expr").asText(),
                            target.path("instant").asBoolean(false) && !target.path("range").asBoolean(false)));
                }
            }
        }
        return queries;
    }

    /** The targets of the Infinity datasource (the series API's flat tables). */
    public List<InfinityQuery> infinityQueries() {
        List<InfinityQuery> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            String series = null;
            for (JsonNode t : panel.path("transformations")) {
                if (t.path("id").asText().equals("partitionByValues")) {
                    series = t.path("options").path("fields").path(0).asText(null);
                }
            }
            JsonNode mapping = panel.path("options").path("series").path(0);
            String x = mapping.path("x").path("matcher").path("options").asText(null);
            String y = mapping.path("y").path("matcher").path("options").asText(null);
            for (JsonNode target : panel.path("targets")) {
                if (!INFINITY.equals(target.path("datasource").path("type").asText())) {
                    continue;
                }
                Map<String, String> params = new LinkedHashMap<>();
                target.path("url_options").path("params").forEach(p -> params.put(p.path("key").asText(),
                        p.path("value").asText()));
                Map<String, String> columns = new LinkedHashMap<>();
                target.path("columns").forEach(c -> columns.put(c.path("selector").asText(), c.path("type").asText()));
                queries.add(new InfinityQuery(uid(), panel.path("id").asInt(), panel.path("title").asText(),
                        target.path("refId").asText(), target.path("url").asText(), params,
                        target.path("root_selector").asText(""), columns, series, x, y));
            }
        }
        return queries;
    }

    public List<Variable> variables() {
        List<Variable> variables = new ArrayList<>();
        for (JsonNode variable : json.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            if (variable.hasNonNull("definition") && !variable.path("definition").asText().isBlank()) {
                text = variable.path("definition").asText();
            }
            variables.add(new Variable(variable.path("name").asText(), variable.path("type").asText(), text,
                    variable.path("multi").asBoolean(false), variable.path("includeAll").asBoolean(false),
                    variable.hasNonNull("allValue") ? variable.path("allValue").asText() : null,
                    variable.path("regex").asText(""), variable.path("sort").asInt(0)));
        }
        return variables;
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }
}

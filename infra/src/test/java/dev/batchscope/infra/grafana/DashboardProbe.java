package dev.batchscope.infra.grafana;

import dev.batchscope.infra.prometheus.PrometheusServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Asks a real Prometheus every query of a dashboard the way Grafana would: variables resolved with
 * label_values against that Prometheus (or set by the caller), expressions expanded, instant targets as
 * instant queries and the others as range queries over the recent past.
 */
public final class DashboardProbe {
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
            if (chosen.containsKey(variable.name())) {
                String value = chosen.get(variable.name());
                // the caller picks the value, but Grafana offers only what the variable's query finds
                if (variable.type().equals("query")) {
                    QueryExpander.LabelValuesQuery query = QueryExpander.parseLabelValues(expander.expand(variable.query()));
                    List<String> offered = prometheus.labelValues(query.label(), query.selector());
                    if (!offered.contains(value)) {
                        throw new AssertionError(dashboard.file() + ": variable " + variable.name() + " ("
                                + variable.query() + ") does not offer " + value + ", only " + offered);
                    }
                }
                expander.set(variable.name(), value);
                continue;
            }
            if (!variable.type().equals("query")) {
                throw new AssertionError(dashboard.file() + ": variable " + variable.name() + " of type "
                        + variable.type() + " needs a value from the caller");
            }
            QueryExpander.LabelValuesQuery query = QueryExpander.parseLabelValues(expander.expand(variable.query()));
            List<String> values = prometheus.labelValues(query.label(), query.selector());
            if (values.isEmpty()) {
                throw new AssertionError(dashboard.file() + ": variable " + variable.name() + " ("
                        + variable.query() + ") has no values in Prometheus");
            }
            if (variable.multi()) {
                expander.setAll(variable.name(), values);
            } else {
                expander.set(variable.name(), values.get(0));
            }
        }
        return expander;
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

package dev.batchscope.infra.grafana;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a dashboard's PromQL into what Grafana sends to Prometheus: template variables ({@code $name},
 * {@code ${name}}, {@code ${name:regex}}, {@code [[name]]}) and Grafana's built-in interval variables
 * replaced. Multi-value variables become a regex alternation, as Grafana formats them for Prometheus.
 */
public final class QueryExpander {
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\{([A-Za-z0-9_]+)(?::([A-Za-z]+))?}|\\[\\[([A-Za-z0-9_]+)]]|\\$([A-Za-z0-9_]+)");
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^\\s*label_values\\(\\s*(.*?)\\s*,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$");
    private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    /**
     * An expander for a Prometheus scraped every {@code scrapeInterval}: {@code $__rate_interval} becomes four
     * scrape intervals (Grafana's lower bound), {@code $__interval} one, {@code $__range} the given range.
     */
    public static QueryExpander forScrapeInterval(String scrapeInterval, String range) {
        QueryExpander expander = new QueryExpander();
        int seconds = parseSeconds(scrapeInterval);
        expander.set("__rate_interval", (4 * seconds) + "s");
        expander.set("__interval", seconds + "s");
        expander.set("__range", range);
        expander.set("__range_s", Integer.toString(parseSeconds(range)));
        return expander;
    }

    /** Sets a variable to one value. */
    public QueryExpander set(String name, String value) {
        values.put(name, List.of(value));
        return this;
    }

    /** Sets a variable to several values (a multi-value or "All" selection). */
    public QueryExpander setAll(String name, List<String> selected) {
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("variable " + name + " needs at least one value");
        }
        values.put(name, List.copyOf(selected));
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The expression with every variable replaced; an unknown variable is an error, not left in place. */
    public String expand(String expr) {
        return expand(expr, QueryExpander::format);
    }

    /**
     * The text with every variable replaced, for a URL parameter: {@code ${name:csv}} joins a multi-value selection
     * with commas (Grafana's csv format), a plain one is the first value.
     */
    public String expandForUrl(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = firstNonNull(matcher.group(1), matcher.group(3), matcher.group(4));
            List<String> selected = values.get(name);
            if (selected == null) {
                throw new IllegalArgumentException("no value for variable $" + name + " in: " + text);
            }
            boolean csv = "csv".equals(matcher.group(2));
            matcher.appendReplacement(out, Matcher.quoteReplacement(csv ? String.join(",", selected) : selected.get(0)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String expand(String expr, java.util.function.Function<List<String>, String> formatter) {
        Matcher matcher = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = firstNonNull(matcher.group(1), matcher.group(3), matcher.group(4));
            List<String> selected = values.get(name);
            if (selected == null) {
                throw new IllegalArgumentException("no value for variable $" + name + " in: " + expr
                        + " (known: " + values.keySet() + ")");
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(formatter.apply(selected)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The metric selector and label of a {@code label_values(selector, label)} variable query. */
    public record LabelValuesQuery(String selector, String label) {
    }

    public static LabelValuesQuery parseLabelValues(String variableQuery) {
        Matcher matcher = LABEL_VALUES.matcher(variableQuery);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a label_values(selector, label) query: " + variableQuery);
        }
        return new LabelValuesQuery(matcher.group(1), matcher.group(2));
    }

    /** Whether a variable query is Grafana's {@code query_result(expr)}. */
    public static boolean isQueryResult(String variableQuery) {
        return QUERY_RESULT.matcher(variableQuery).matches();
    }

    /** The PromQL of a {@code query_result(expr)} variable query. */
    public static String parseQueryResult(String variableQuery) {
        Matcher matcher = QUERY_RESULT.matcher(variableQuery);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a query_result(expr) query: " + variableQuery);
        }
        return matcher.group(1);
    }

    /** One value as is; several as Grafana's Prometheus regex format {@code (a|b)}, each regex-escaped. */
    private static String format(List<String> selected) {
        if (selected.size() == 1) {
            return selected.get(0);
        }
        List<String> escaped = new ArrayList<>();
        for (String value : selected) {
            escaped.add(value.replaceAll("([\\\\.^$*+?()\\[\\]{}|])", "\\\\\\\\$1"));
        }
        return "(" + String.join("|", escaped) + ")";
    }

    private static int parseSeconds(String duration) {
        Matcher matcher = Pattern.compile("^(\\d+)([smh])$").matcher(duration);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a duration like 15s, 5m or 1h: " + duration);
        }
        int amount = Integer.parseInt(matcher.group(1));
        switch (matcher.group(2)) {
            case "h":
                return amount * 3600;
            case "m":
                return amount * 60;
            default:
                return amount;
        }
    }

    private static String firstNonNull(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        throw new IllegalStateException("no group matched");
    }
}

package dev.batchscope.events.prometheus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A {@code /q/metrics} page in the Prometheus text format (0.0.4), parsed: the samples and the {@code # TYPE} of each
 * metric. The services' metric names (docs/design.md#8-metrics) are part of their contract, so the CLI and the
 * services' tests read the page with this one parser. Enough to read counters, gauges and histogram lines; not a general client.
 */
public final class PrometheusText {

    /** One sample line: a series (name and labels, sorted by label name) and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        }

        /** This sample's series key; see {@link PrometheusText#series(String, Map)}. */
        public String series() {
            return PrometheusText.series(name, labels);
        }
    }

    private final List<Sample> samples;
    private final Map<String, Double> series;
    private final Map<String, String> types;

    private PrometheusText(List<Sample> samples, Map<String, String> types) {
        this.samples = List.copyOf(samples);
        this.types = Collections.unmodifiableMap(types);
        Map<String, Double> bySeries = new TreeMap<>();
        samples.forEach(s -> bySeries.put(s.series(), s.value()));
        this.series = Collections.unmodifiableMap(bySeries);
    }

    /** Parses a page; a line that is not a comment, blank, or {@code name[{labels}] value [timestamp]} is refused. */
    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).strip().split("\\s+");
                if (parts.length == 2) {
                    types.put(parts[0], parts[1]);
                }
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                samples.add(parseSample(line));
            }
        }
        return new PrometheusText(samples, types);
    }

    /**
     * The key of a series as Prometheus writes it, labels sorted and values unescaped:
     * {@code name{a="1",b="2"}}, or the bare name when there are no labels.
     */
    public static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            sb.append(first ? "" : ",").append(label.getKey()).append("=\"").append(label.getValue()).append('"');
            first = false;
        }
        return sb.append('}').toString();
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The samples of {@code name} whose labels pass {@code labels}. */
    public List<Sample> samples(String name, Predicate<Map<String, String>> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels())).toList();
    }

    /** Every series key and its value, sorted by key. */
    public Map<String, Double> series() {
        return series;
    }

    /** The series keys and values of the samples that pass {@code filter}, sorted, e.g. to compare two services. */
    public Map<String, Double> series(Predicate<Sample> filter) {
        Map<String, Double> map = new TreeMap<>();
        samples.stream().filter(filter).forEach(s -> map.put(s.series(), s.value()));
        return map;
    }

    /** The value of exactly this series, or null when the page has none. */
    public Double value(String name, Map<String, String> labels) {
        return series.get(series(name, labels));
    }

    /** The value of exactly this series, labels given as pairs ({@code "sweep", "s-1", "batch_size", "16"}). */
    public Double value(String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labelPairs: give label names and values in pairs, got "
                    + labelPairs.length + " strings");
        }
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return value(name, labels);
    }

    /** The sum of the series of {@code name} whose labels pass {@code labels}; 0 when there is none. */
    public double sum(String name, Predicate<Map<String, String>> labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The largest value among the series of {@code name} whose labels pass {@code labels}, NaN skipped; else 0. */
    public double max(String name, Predicate<Map<String, String>> labels) {
        return samples(name, labels).stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).max().orElse(0);
    }

    /** The type a {@code # TYPE} line gives {@code name} (counter, gauge, histogram, ...), or null. */
    public String type(String name) {
        return types.get(name);
    }

    /** Labels that carry {@code label="value"}. */
    public static Predicate<Map<String, String>> label(String label, String value) {
        return labels -> value.equals(labels.get(label));
    }

    /** Any labels. */
    public static Predicate<Map<String, String>> any() {
        return labels -> true;
    }

    private static Sample parseSample(String line) {
        try {
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            Map<String, String> labels = new TreeMap<>();
            String name;
            int end;
            if (brace >= 0 && (space < 0 || brace < space)) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq).strip();
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2; // past ="
                    while (line.charAt(j) != '"') {
                        if (line.charAt(j) == '\\') {
                            j++;
                            char escaped = line.charAt(j);
                            value.append(escaped == 'n' ? '\n' : escaped);
                        } else {
                            value.append(line.charAt(j));
                        }
                        j++;
                    }
                    labels.put(label, value.toString());
                    i = j + 1;
                    if (line.charAt(i) == ',') {
                        i++;
                    }
                }
                end = i + 1;
            } else {
                end = space;
                name = line.substring(0, end);
            }
            return new Sample(name, labels, parseValue(line.substring(end).strip().split("\\s+")[0]));
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("not a Prometheus sample line: " + line, e);
        }
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }
}

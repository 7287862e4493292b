package dev.batchscope.metrics.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scraped /q/metrics page, parsed: each sample under its name and sorted labels, e.g.
 * {@code batchscope_train_loss{batch_size="16",dataset="synthetic-blobs",...}}.
 */
public final class PrometheusText {
    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    private PrometheusText() {
    }

    public static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).trim().split(" ");
                out.types.put(parts[0], parts[1]);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String name;
            Map<String, String> labels = new TreeMap<>();
            int brace = line.indexOf('{');
            int end;
            if (brace >= 0 && brace < line.indexOf(' ')) {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String label = line.substring(i, eq).trim();
                    int j = eq + 2;
                    StringBuilder value = new StringBuilder();
                    while (line.charAt(j) != '"') {
                        if (line.charAt(j) == '\\') {
                            j++;
                        }
                        value.append(line.charAt(j));
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
                end = line.indexOf(' ');
                name = line.substring(0, end);
            }
            String rest = line.substring(end).trim().split(" ")[0];
            out.samples.put(key(name, labels), parseValue(rest));
        }
        return out;
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    public static String key(String name, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(name).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
        }
        return sb.append('}').toString();
    }

    /** The sample's value, or null when there is no such series. */
    public Double value(String name, Map<String, String> labels) {
        return samples.get(key(name, labels));
    }

    public Double value(String name, String... labelPairs) {
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return value(name, labels);
    }

    /** Whether any series of {@code name} carries the label value. */
    public boolean anyWithLabel(String name, String label, String value) {
        String needle = label + "=\"" + value + "\"";
        return samples.keySet().stream().anyMatch(k -> k.startsWith(name + "{") && k.contains(needle));
    }

    public String type(String name) {
        return types.get(name);
    }

    public Map<String, Double> samples() {
        return samples;
    }
}

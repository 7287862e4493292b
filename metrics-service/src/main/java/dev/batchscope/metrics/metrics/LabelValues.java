package dev.batchscope.metrics.metrics;

/**
 * Label values as Prometheus gets them: only letters, digits and {@code . _ : -}, at most 64 characters. Ids are
 * validated upstream already; this keeps a bad spec or a future field from producing unreadable or unbounded labels.
 */
public final class LabelValues {
    static final int MAX_LENGTH = 64;

    private LabelValues() {
    }

    public static String sanitize(String value) {
        if (value == null || value.isEmpty()) {
            return "unknown";
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_LENGTH));
        for (int i = 0; i < value.length() && sb.length() < MAX_LENGTH; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }
}

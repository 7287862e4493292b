package dev.batchscope.metrics.export;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Label values as Prometheus gets them: only letters, digits and {@code . _ : -}, at most 64 characters. Ids are
 * validated upstream already; this keeps a bad spec or a future field from producing unreadable or unbounded labels.
 */
public final class LabelValues {
    static final int MAX_LENGTH = 64;

    private LabelValues() {
    }

    /**
     * A number as a label value: four significant digits, no exponent, no trailing zeros ({@code 0.1}, {@code
     * 0.1414}, {@code 0.00003}); {@code unknown} for null or a value that is not finite.
     */
    public static String number(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "unknown";
        }
        return new BigDecimal(value).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros()
                .toPlainString();
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

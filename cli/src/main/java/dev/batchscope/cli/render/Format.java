package dev.batchscope.cli.render;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Numbers and times as the tables show them; null is "-". */
public final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int BAR_WIDTH = 20;

    private Format() {
    }

    /** About four significant digits, no exponent for the usual loss and learning-rate ranges. */
    public static String number(Double value) {
        if (value == null || value.isNaN()) {
            return "-";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 1 || abs == 0) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        if (abs >= 0.001) {
            return String.format(Locale.ROOT, "%.4f", value);
        }
        return String.format(Locale.ROOT, "%.2e", value);
    }

    public static String whole(Double value) {
        return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    public static String time(String isoInstant) {
        if (isoInstant == null || isoInstant.isEmpty()) {
            return "-";
        }
        try {
            return TIME.format(Instant.parse(isoInstant));
        } catch (RuntimeException e) {
            return isoInstant;
        }
    }

    /** "[########............] 1200/3000"; without a known budget only the count. */
    public static String progress(Long done, Long budget) {
        if (done == null && budget == null) {
            return "[" + ".".repeat(BAR_WIDTH) + "] -";
        }
        long count = done == null ? 0 : done;
        if (budget == null || budget <= 0) {
            return "[" + "?".repeat(BAR_WIDTH) + "] " + count;
        }
        int filled = (int) Math.min(BAR_WIDTH, Math.round((double) count * BAR_WIDTH / budget));
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + count + "/" + budget;
    }
}

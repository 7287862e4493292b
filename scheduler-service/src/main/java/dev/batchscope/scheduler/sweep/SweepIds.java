package dev.batchscope.scheduler.sweep;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Sweep ids: {@code sw-} + the creation time in milliseconds as 10 Crockford base-32 digits + 6 random digits,
 * lower case, so that ids sort by time as plain strings. Run ids append {@code -r<index>}. Both fit
 * {@code SpecValidator.NAME}, so they are safe in URLs and Prometheus labels.
 */
public final class SweepIds {
    private static final char[] DIGITS = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final int TIME_DIGITS = 10;
    private static final int RANDOM_DIGITS = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SweepIds() {
    }

    public static String sweepId(Instant createdAt) {
        StringBuilder id = new StringBuilder("sw-");
        long millis = createdAt.toEpochMilli();
        char[] time = new char[TIME_DIGITS];
        for (int i = TIME_DIGITS - 1; i >= 0; i--) {
            time[i] = DIGITS[(int) (millis & 31)];
            millis >>>= 5;
        }
        id.append(time);
        for (int i = 0; i < RANDOM_DIGITS; i++) {
            id.append(DIGITS[RANDOM.nextInt(32)]);
        }
        return id.toString();
    }

    public static String runId(String sweepId, int index) {
        return sweepId + "-r" + index;
    }
}

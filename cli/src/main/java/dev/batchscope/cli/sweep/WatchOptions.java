package dev.batchscope.cli.sweep;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How `sweep watch` (and `submit --watch`) refreshes. */
public class WatchOptions {
    static final double MIN_INTERVAL_SECONDS = 0.1;
    static final double MAX_INTERVAL_SECONDS = 3600;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", converter = IntervalSeconds.class,
            description = "Seconds between refreshes, 0.1 to 3600 (default ${DEFAULT-VALUE}).")
    double intervalSeconds = 2;

    @Option(names = "--live", negatable = true,
            description = "Redraw the table in place; --no-live prints a line per state change and the final table "
                    + "(default: live when the output is a terminal).")
    Boolean live;

    long intervalMillis() {
        return Math.round(intervalSeconds * 1000);
    }

    boolean live() {
        return live != null ? live : System.console() != null;
    }

    /** Refuses intervals that would hammer the services or never refresh (picocli names the option). */
    static final class IntervalSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double seconds;
            try {
                seconds = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of seconds");
            }
            if (!(seconds >= MIN_INTERVAL_SECONDS && seconds <= MAX_INTERVAL_SECONDS)) {
                throw new TypeConversionException("must be from " + MIN_INTERVAL_SECONDS + " to "
                        + (int) MAX_INTERVAL_SECONDS + " seconds, got " + value);
            }
            return seconds;
        }
    }
}

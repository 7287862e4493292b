package dev.batchscope.cli.sweep;

import picocli.CommandLine.Option;

/** How `sweep watch` (and `submit --watch`) refreshes. */
public class WatchOptions {
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between refreshes (default ${DEFAULT-VALUE}).")
    double intervalSeconds = 2;

    @Option(names = "--live", negatable = true,
            description = "Redraw the table in place; --no-live prints a line per state change and the final table "
                    + "(default: live when the output is a terminal).")
    Boolean live;

    long intervalMillis() {
        return Math.max(100, Math.round(intervalSeconds * 1000));
    }

    boolean live() {
        return live != null ? live : System.console() != null;
    }
}

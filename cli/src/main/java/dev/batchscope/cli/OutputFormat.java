package dev.batchscope.cli;

/** How a command prints: a table for people, JSON for scripts. */
public enum OutputFormat {
    table,
    json
}

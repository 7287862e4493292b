package dev.batchscope.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.net.URI;

/**
 * Options every command takes, before or after its name: {@code batchscope --output json sweep list} and
 * {@code batchscope sweep list --output json} mean the same. Each falls back to a BATCHSCOPE_* variable.
 * Being inherited, the values always land on the root command's instance of this class.
 */
public class GlobalOptions {
    @Option(names = "--scheduler-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:BATCHSCOPE_SCHEDULER_URL:-http://localhost:8080}",
            description = "The scheduler-service (env BATCHSCOPE_SCHEDULER_URL; default ${DEFAULT-VALUE}).")
    URI schedulerUrl;

    @Option(names = "--metrics-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:BATCHSCOPE_METRICS_URL:-http://localhost:8082}",
            description = "The metrics-service (env BATCHSCOPE_METRICS_URL; default ${DEFAULT-VALUE}).")
    URI metricsUrl;

    // no ${DEFAULT-VALUE} in the description: help must never print a token
    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            defaultValue = "${env:BATCHSCOPE_API_TOKEN}",
            description = "Bearer token for submit and cancel when the scheduler requires one (env BATCHSCOPE_API_TOKEN).")
    String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            defaultValue = "${env:BATCHSCOPE_OUTPUT:-table}",
            description = "table or json (env BATCHSCOPE_OUTPUT; default ${DEFAULT-VALUE}).")
    OutputFormat output;

    public URI schedulerUrl() {
        return schedulerUrl;
    }

    public URI metricsUrl() {
        return metricsUrl;
    }

    /** The token, or null when none is set. */
    public String token() {
        return token == null || token.isBlank() ? null : token.trim();
    }

    public OutputFormat output() {
        return output;
    }

    public boolean json() {
        return output == OutputFormat.json;
    }
}

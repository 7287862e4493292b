package dev.batchscope.cli;

import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.net.URI;
import java.util.Optional;

/**
 * Options every command takes, before or after its name: {@code batchscope --output json sweep list} and
 * {@code batchscope sweep list --output json} mean the same. Each falls back to a BATCHSCOPE_* variable.
 * Being inherited, the values always land on the root command's instance of this class.
 *
 * <p>The service URLs, when neither flag nor variable sets them, are those of the local stack that
 * {@code batchscope up} recorded in {@code .batchscope/stack.json} (its ports differ from the usual ones when
 * those were busy), and the usual localhost ports without a stack.
 */
public class GlobalOptions {
    static final URI DEFAULT_SCHEDULER_URL = URI.create("http://localhost:8080");
    static final URI DEFAULT_METRICS_URL = URI.create("http://localhost:8082");

    @Option(names = "--scheduler-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:BATCHSCOPE_SCHEDULER_URL}",
            description = "The scheduler-service (env BATCHSCOPE_SCHEDULER_URL; default: the local stack's, "
                    + "else http://localhost:8080).")
    URI schedulerUrl;

    @Option(names = "--metrics-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:BATCHSCOPE_METRICS_URL}",
            description = "The metrics-service (env BATCHSCOPE_METRICS_URL; default: the local stack's, "
                    + "else http://localhost:8082).")
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
        return schedulerUrl != null ? schedulerUrl : stackUrl("scheduler").orElse(DEFAULT_SCHEDULER_URL);
    }

    public URI metricsUrl() {
        return metricsUrl != null ? metricsUrl : stackUrl("metrics").orElse(DEFAULT_METRICS_URL);
    }

    /** Whether the URLs were given (flag or variable) rather than taken from the stack or the defaults. */
    public boolean urlsGiven() {
        return schedulerUrl != null || metricsUrl != null;
    }

    private static Optional<URI> stackUrl(String service) {
        try {
            return StackState.read(StackLayout.fromEnvironment().stackFile())
                    .flatMap(state -> state.service(service))
                    .map(s -> URI.create(s.url()));
        } catch (RuntimeException unreadable) {
            // a damaged stack.json is reported by the stack commands; here the usual URL is as good a guess
            return Optional.empty();
        }
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

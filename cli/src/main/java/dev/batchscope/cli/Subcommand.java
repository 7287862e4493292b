package dev.batchscope.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.validation.SpecValidator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** What every subcommand shares: the global options, the two service clients and the output streams. */
public abstract class Subcommand {
    @Spec
    protected CommandSpec spec;

    protected GlobalOptions global() {
        return BatchscopeCommand.globalOptions(spec);
    }

    protected SchedulerClient scheduler() {
        return new SchedulerClient(global().schedulerUrl(), global().token());
    }

    protected MetricsClient metrics() {
        return new MetricsClient(global().metricsUrl());
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected void printJson(JsonNode node) {
        try {
            out().println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }

    /** A sweep id by the services' rule (events' {@code SpecValidator.NAME}), checked before anything is sent. */
    protected static String requireSweepId(String id) {
        if (id == null || !SpecValidator.NAME.matcher(id).matches()) {
            throw CliException.usage("id: must be a sweep id such as sw-0123456789abcdef (" + SpecValidator.NAME_RULE
                    + "), got \"" + id + "\"");
        }
        return id;
    }
}

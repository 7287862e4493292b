package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.BatchscopeCommand;
import dev.batchscope.cli.GlobalOptions;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.events.json.EventJson;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** What every sweep subcommand shares: the global options, the two clients and the output streams. */
abstract class SweepSubcommand {
    @Spec
    CommandSpec spec;

    GlobalOptions global() {
        return BatchscopeCommand.globalOptions(spec);
    }

    SchedulerClient scheduler() {
        return new SchedulerClient(global().schedulerUrl(), global().token());
    }

    MetricsClient metrics() {
        return new MetricsClient(global().metricsUrl());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    void printJson(JsonNode node) {
        try {
            out().println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out().flush();
    }
}

package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.render.Format;
import dev.batchscope.cli.render.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List sweeps, newest first.")
public class SweepListCommand extends SweepSubcommand implements Callable<Integer> {
    @Option(names = "--page", defaultValue = "0", description = "Page number, from 0 (default ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", defaultValue = "20", description = "Sweeps per page, 1-100 (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() {
        // the upper bounds are the scheduler's to say; below these no page exists anywhere
        if (this.page < 0) {
            throw CliException.usage("--page: must be 0 or more, got " + this.page);
        }
        if (size < 1) {
            throw CliException.usage("--size: must be 1 or more, got " + size);
        }
        JsonNode page = scheduler().list(this.page, size);
        if (global().json()) {
            printJson(page);
            return ExitCodes.OK;
        }
        Table table = new Table("SWEEP", "NAME", "CREATED", "STATE", "RUNS");
        for (JsonNode sweep : page.path("items")) {
            table.row(sweep.path("sweepId").asText(), sweep.path("name").asText(), Format.time(sweep.path("createdAt").asText()),
                    sweep.path("state").asText(), SweepText.runCounts(sweep));
        }
        if (page.path("items").isEmpty()) {
            out().println(page.path("total").asInt() == 0 ? "no sweeps yet; submit one with `batchscope sweep submit`"
                    : "no sweeps on page " + this.page + " (" + page.path("total").asInt() + " in all)");
        } else {
            out().println(table);
            int total = page.path("total").asInt();
            int shown = this.page * size + page.path("items").size();
            if (shown < total) {
                out().println("showing " + shown + " of " + total + "; next: --page " + (this.page + 1));
            }
        }
        out().flush();
        return ExitCodes.OK;
    }
}

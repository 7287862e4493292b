package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.json.EventJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit a sweep from a YAML/JSON file or from flags; prints the sweep id.",
                "Example: batchscope sweep submit --batch-sizes 16,32,64,128,256,full --dataset fashion-mnist --model mlp "
                        + "--epochs 3 --lr 0.05 --lr-scaling none --seeds 1,2"})
public class SweepSubmitCommand extends SweepSubcommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The sweep spec, YAML or JSON (.json).")
    Path file;

    @Mixin
    SweepSpecFlags flags;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Submit at most once under this key (default: a fresh key, reused for automatic retries).")
    String idempotencyKey;

    @Option(names = "--watch", description = "Go on watching the sweep until it ends (exit code as for `sweep watch`).")
    boolean watch;

    @ArgGroup(exclusive = false, heading = "%nWatching (with --watch):%n")
    WatchOptions watchOptions = new WatchOptions();

    @Override
    public Integer call() {
        byte[] body;
        String contentType;
        if (file != null) {
            if (flags.any()) {
                throw CliException.usage("give either -f FILE or the spec flags (--batch-sizes, --dataset, ...), not both");
            }
            body = read(file);
            contentType = file.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? "application/json" : "application/yaml";
        } else {
            if (flags.batchSizes == null) {
                throw CliException.usage("give -f FILE, or --batch-sizes with the other spec flags "
                        + "(see `batchscope sweep submit --help`)");
            }
            body = json(flags.toSpec());
            contentType = "application/json";
        }
        JsonNode sweep = scheduler().submit(body, contentType, idempotencyKey);
        String sweepId = sweep.path("sweepId").asText();
        if (global().json()) {
            printJson(sweep);
        } else {
            out().println(sweepId);
            out().flush();
            err().println("submitted " + sweep.path("name").asText() + " (" + sweep.path("runCount").asInt() + " runs)"
                    + (watch ? "" : "; follow it with: batchscope sweep watch " + sweepId));
            err().flush();
        }
        if (!watch) {
            return ExitCodes.OK;
        }
        return new SweepWatcher(scheduler(), metrics(), out(), err(), global().json(), watchOptions).watch(sweepId);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] json(JsonNode spec) {
        try {
            return EventJson.mapper().writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

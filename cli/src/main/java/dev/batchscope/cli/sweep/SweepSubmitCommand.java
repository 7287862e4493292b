package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.events.spec.SweepSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit a sweep from a YAML/JSON file or from flags; prints the sweep id.",
                "The spec is checked here first, with the scheduler's own rules: a bad one exits 2 naming every "
                        + "offending field, and nothing is sent. --dry-run shows the runs it would request instead.",
                "Example: batchscope sweep submit --batch-sizes 16,32,64,128,256,full --dataset fashion-mnist --model mlp "
                        + "--epochs 3 --lr 0.05 --lr-scaling none --seeds 1,2",
                "A study (each batch size at its best learning rate): batchscope sweep submit --batch-sizes 16,64,256 "
                        + "--protocol tuned --lr-search 0.01:1:5 --lr-scaling sqrt --target-loss 0.5 --dry-run"})
public class SweepSubmitCommand extends SweepSubcommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The sweep spec: YAML, or JSON when the name ends in .json; - reads standard input.")
    Path file;

    @Mixin
    SweepSpecFlags flags;

    @Option(names = "--dry-run",
            description = "Check the spec and print the runs it expands to (batch size, learning rate after scaling, "
                    + "seed, steps, samples), their number and total samples; send nothing.")
    boolean dryRun;

    @Option(names = "--samples-per-second", paramLabel = "RATE",
            description = "With --dry-run: estimate the wall time of one trainer at this many samples per second "
                    + "(e.g. the samples/s of `sweep watch` for a similar sweep).")
    Double samplesPerSecond;

    @Option(names = "--idempotency-key", paramLabel = "KEY",
            description = "Submit at most once under this key (default: a fresh key, reused for automatic retries).")
    String idempotencyKey;

    @Option(names = "--watch", description = "Go on watching the sweep until it ends (exit code as for `sweep watch`).")
    boolean watch;

    @ArgGroup(exclusive = false, heading = "%nWatching (with --watch):%n")
    WatchOptions watchOptions = new WatchOptions();

    @Override
    public Integer call() {
        SpecSource source = source();
        SweepSpec spec = source.check(file != null ? FieldFlags.NONE : SweepSpecFlags.FIELDS);
        if (dryRun) {
            return printDryRun(spec);
        }
        if (samplesPerSecond != null) {
            throw CliException.usage("--samples-per-second: only with --dry-run");
        }
        JsonNode sweep = scheduler().submit(source.body(), source.format().contentType(), idempotencyKey);
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

    private SpecSource source() {
        if (file != null) {
            if (flags.any()) {
                throw CliException.usage("give either -f FILE or the spec flags (--batch-sizes, --dataset, ...), not both");
            }
            return file.toString().equals("-") ? SpecSource.stdin(System.in) : SpecSource.file(file);
        }
        if (flags.batchSizes == null) {
            throw CliException.usage("give -f FILE, or --batch-sizes with the other spec flags "
                    + "(see `batchscope sweep submit --help`)");
        }
        return SpecSource.json("the spec from the flags", flags.toSpec());
    }

    private int printDryRun(SweepSpec spec) {
        if (watch) {
            throw CliException.usage("--watch: a dry run sends nothing to watch");
        }
        if (samplesPerSecond != null && !(samplesPerSecond > 0 && Double.isFinite(samplesPerSecond))) {
            throw CliException.usage("--samples-per-second: must be a positive number, got " + samplesPerSecond);
        }
        DryRun plan = DryRun.of(spec, samplesPerSecond);
        if (global().json()) {
            printJson(plan.json());
        } else {
            plan.lines().forEach(out()::println);
            out().flush();
        }
        return ExitCodes.OK;
    }
}

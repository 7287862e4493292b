package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.cli.preflight.DatasetCheck;
import dev.batchscope.cli.report.FailureSummary;
import dev.batchscope.cli.report.ReportData;
import dev.batchscope.cli.report.ReportWriter;
import dev.batchscope.cli.stack.LocalStack;
import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.cli.stack.UpCommand;
import dev.batchscope.cli.sweep.FieldFlags;
import dev.batchscope.cli.sweep.SpecSource;
import dev.batchscope.cli.sweep.SweepWatcher;
import dev.batchscope.cli.sweep.WatchOptions;
import dev.batchscope.events.spec.TrainingSplit;
import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The textbook experiment end to end: start the local stack (`up`), submit the sweep "
                + "(Fashion-MNIST, an MLP, batch sizes 16, 32, 64, 128, 256 and full batch, the same learning rate for "
                + "all), watch it train, write the report and say where it is. The stack stays up for the live page; "
                + "`batchscope down` stops it.",
                "With its defaults it took 3 min 20 s on two shared cores, starting the stack included; --full trains "
                        + "on all 60,000 images and takes far longer."})
public class DemoCommand extends Subcommand implements Callable<Integer> {
    /**
     * The defaults, measured on the two-core machine this was written on, shared with other builds (README.md, "What
     * you see"): 10,000 images and 8 epochs train the six runs in a few minutes on two trainers, the target loss 0.5
     * is reached by every batch size but the full batch, and learning rate 0.1 keeps plain SGD stable up to the full
     * batch.
     */
    static final int DEFAULT_SAMPLES = 10_000;
    static final int DEFAULT_EPOCHS = 8;
    static final String DEFAULT_LR = "0.1";
    static final String DEFAULT_TARGET_LOSS = "0.5";
    static final String DEFAULT_HIDDEN = "256,128";
    static final String DEFAULT_BATCH_SIZES = "16,32,64,128,256,full";
    /** The base batch size of the linear-scaling arm: the learning rate is --lr at this size. */
    static final int SCALING_BASE_BATCH = 32;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    /** The spec field each flag sets, to name the flag beside the validator's field. */
    private static final FieldFlags FLAG_OF_FIELD = new FieldFlags(Map.of("dataset.samples", "--samples",
            "budget.epochs", "--epochs", "learningRate.base", "--lr", "targetLoss", "--target-loss",
            "batchSizes", "--batch-sizes", "seeds", "--seeds", "model.hidden", "--hidden", "noise.every", "--noise-every"));

    @Option(names = "--trainers", paramLabel = "N", defaultValue = "" + UpCommand.DEFAULT_TRAINERS,
            description = "Trainer processes when the demo starts the stack (default ${DEFAULT-VALUE}).")
    int trainers;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "" + DEFAULT_SAMPLES,
            description = "Fashion-MNIST training images to use, the first N (default ${DEFAULT-VALUE}; the full "
                    + "batch is all of them).")
    int samples;

    @Option(names = "--full", description = "Train on all 60,000 images (takes far longer than the default).")
    boolean full;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "" + DEFAULT_EPOCHS,
            description = "Epochs every run trains (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = DEFAULT_LR,
            description = "The learning rate of plain SGD, the same for every batch size (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--target-loss", paramLabel = "LOSS", defaultValue = DEFAULT_TARGET_LOSS,
            description = "The training loss that counts as reached, for steps- and samples-to-target "
                    + "(default ${DEFAULT-VALUE}).")
    double targetLoss;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "B", defaultValue = DEFAULT_BATCH_SIZES,
            description = "Batch sizes to compare (default ${DEFAULT-VALUE}).")
    List<String> batchSizes;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", defaultValue = "1",
            description = "Repeat every batch size with these seeds, e.g. 1,2,3 (default ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--lr-scaling-arm",
            description = "Also run the linear-scaling arm: a second sweep whose learning rate is --lr at batch size "
                    + SCALING_BASE_BATCH + " and grows in proportion to the batch size (with one epoch of warmup), "
                    + "with its own report. Its largest batches may diverge: that is where linear scaling stops "
                    + "working, and it does not make the demo fail.")
    boolean scalingArm;

    @Option(names = "--hidden", split = ",", paramLabel = "WIDTH", defaultValue = DEFAULT_HIDDEN,
            description = "Hidden layer widths of the MLP (default ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--noise-every", paramLabel = "N", defaultValue = "10",
            description = "Measure the gradient noise every N iterations (default ${DEFAULT-VALUE}).")
    int noiseEvery;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports",
            description = "Write each sweep's report to DIR/<sweep id>/ (default ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--down", description = "Stop the stack when the report is written.")
    boolean down;

    @ArgGroup(exclusive = false, heading = "%nWatching:%n")
    WatchOptions watchOptions = new WatchOptions();

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<TextbookSweep> planned = checkedSweeps();
        // before the stack starts: a sweep whose runs cannot find their data is never submitted
        DatasetCheck.require(TextbookSweep.DATASET, "the demo");
        long started = System.nanoTime();
        StackLayout layout = StackLayout.fromEnvironment();
        LocalStack stack = new LocalStack(layout, err());
        LocalStack.Up up = stack.up(trainers);
        StackState state = up.state();
        if (!up.started()) {
            err().println("using the running stack (" + state.trainers().size() + " trainers)");
        }
        if (global().urlsGiven()) {
            err().println("note: the demo uses its local stack, not --scheduler-url/--metrics-url");
        }
        URI schedulerUrl = URI.create(state.service("scheduler").orElseThrow().url());
        URI metricsUrl = URI.create(state.service("metrics").orElseThrow().url());
        SchedulerClient scheduler = new SchedulerClient(schedulerUrl, global().token());
        MetricsClient metrics = new MetricsClient(metricsUrl);

        Map<String, TextbookSweep> sweeps = new LinkedHashMap<>();
        for (TextbookSweep sweep : planned) {
            sweeps.put(scheduler.submitSpec(sweep.toSpec()), sweep);
        }
        CancelOnInterrupt cancel = new CancelOnInterrupt(scheduler, sweeps.keySet(), err());
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            boolean json = global().json();
            PrintWriter say = json ? err() : out();
            say.println();
            for (Map.Entry<String, TextbookSweep> sweep : sweeps.entrySet()) {
                say.println("sweep " + sweep.getKey() + " (" + sweep.getValue().name() + "): "
                        + sweep.getValue().batchSizes().size() * sweep.getValue().seeds().size() + " runs; live page "
                        + metricsUrl + "/?sweep=" + sweep.getKey());
            }
            say.println();
            say.flush();
            int exit = ExitCodes.OK;
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            ArrayNode results = result.putArray("sweeps");
            List<Path> written = new ArrayList<>();
            for (Map.Entry<String, TextbookSweep> entry : sweeps.entrySet()) {
                String sweepId = entry.getKey();
                int watched = new SweepWatcher(scheduler, metrics, out(), err(), json, watchOptions)
                        .beforeEachRefresh(() -> requireAlive(stack))
                        .watch(sweepId);
                cancel.finished(sweepId);
                JsonNode finished = scheduler.sweep(sweepId);
                FailureSummary.of(finished).lines().forEach(say::println);
                List<String> diverged = diverged(finished);
                if (watched != ExitCodes.OK) {
                    if ("linear".equals(entry.getValue().scaling()) && diverged.size() == failedRuns(finished)) {
                        say.println("in the linear-scaling arm, batch size " + String.join(", ", diverged)
                                + " diverged: past a point, the scaled learning rate is more than SGD can take");
                    } else {
                        exit = watched;
                    }
                }
                awaitMetrics(metrics, sweepId);
                ReportWriter.Report report = ReportWriter.write(ReportData.fetch(
                        new MetricsClient(metricsUrl, Duration.ofSeconds(60)), scheduler, sweepId), reports.resolve(sweepId));
                Path markdown = report.dir().resolve(ReportWriter.MARKDOWN);
                written.add(markdown);
                ObjectNode item = results.addObject();
                item.put("sweepId", sweepId);
                item.put("name", entry.getValue().name());
                item.put("state", finished.path("state").asText());
                item.put("report", markdown.toAbsolutePath().toString());
                item.put("recommendation", report.recommendation());
                if (!json) {
                    out().println();
                    out().println("sweep " + sweepId + " (" + entry.getValue().name() + ")");
                    out().println(report.table());
                    out().println(report.recommendation());
                    out().flush();
                }
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            result.put("seconds", seconds);
            result.put("livePage", metricsUrl + "/");
            say.println();
            for (Path report : written) {
                say.println("report: " + StackLayout.display(report) + "  (charts, series.csv and summary.json beside it)");
            }
            say.printf("demo took %d s%n", seconds);
            if (down) {
                LocalStack.Down stopped = stack.down();
                say.println(stopped.left().isEmpty() ? "stopped the stack" : "could not stop " + stopped.left());
                if (!stopped.left().isEmpty()) {
                    exit = ExitCodes.SWEEP_FAILED;
                }
            } else {
                say.println("the stack is still up: live page " + metricsUrl + "/ ; `batchscope down` stops it");
            }
            say.flush();
            if (json) {
                // one line, like the watch snapshots before it
                out().println(result);
                out().flush();
            }
            return exit;
        } finally {
            Runtime.getRuntime().removeShutdownHook(cancel);
        }
    }

    /** The batch sizes of the runs that failed because training diverged (the trainer says so in the reason). */
    static List<String> diverged(JsonNode sweep) {
        List<String> sizes = new ArrayList<>();
        for (JsonNode run : sweep.path("runs")) {
            if ("FAILED".equals(run.path("state").asText()) && run.path("reason").asText("").contains("diverged")) {
                sizes.add(run.path("batchSize").asText());
            }
        }
        return sizes;
    }

    private static int failedRuns(JsonNode sweep) {
        int failed = 0;
        for (JsonNode run : sweep.path("runs")) {
            if (!"SUCCEEDED".equals(run.path("state").asText())) {
                failed++;
            }
        }
        return failed;
    }

    List<TextbookSweep> sweeps() {
        Integer images = full ? null : samples;
        List<TextbookSweep> list = new ArrayList<>();
        list.add(new TextbookSweep("textbook-same-lr", images, hidden, batchSizes, lr, "none", SCALING_BASE_BATCH, 0,
                epochs, targetLoss, seeds, noiseEvery));
        if (scalingArm) {
            list.add(new TextbookSweep("textbook-linear-lr", images, hidden, batchSizes, lr, "linear",
                    SCALING_BASE_BATCH, 1, epochs, targetLoss, seeds, noiseEvery));
        }
        return list;
    }

    /**
     * The demo's sweeps, checked here by the scheduler's own rules before the stack starts: a flag that makes a bad
     * spec costs nothing, and the message names the flag and the spec field.
     */
    private List<TextbookSweep> checkedSweeps() {
        if (!full && samples > TrainingSplit.FASHION_MNIST_TRAIN_IMAGES) {
            throw CliException.usage("--samples: Fashion-MNIST has " + TrainingSplit.FASHION_MNIST_TRAIN_IMAGES
                    + " training images, got " + samples + "; --full uses all of them");
        }
        List<TextbookSweep> list = sweeps();
        for (TextbookSweep sweep : list) {
            try {
                SpecSource.json(sweep.name(), sweep.toSpec()).read();
            } catch (ValidationException e) {
                StringBuilder sb = new StringBuilder("the demo's sweep " + sweep.name()
                        + " is not valid; nothing was started:");
                for (Violation v : e.violations()) {
                    sb.append(System.lineSeparator()).append("  ").append(FLAG_OF_FIELD.prefix(v.field()))
                            .append(v.field()).append(": ").append(v.message());
                }
                throw CliException.usage(sb.toString());
            }
        }
        return list;
    }

    /** Ends the watch when a process of the stack has died: the sweep could otherwise wait forever. */
    private static void requireAlive(LocalStack stack) {
        stack.state().filter(s -> !s.allAlive()).ifPresent(s -> {
            throw new CliException(ExitCodes.UNREACHABLE, "the stack lost a process while the sweep ran:\n"
                    + LocalStack.crashReport(s) + "\n`batchscope down` stops the rest");
        });
    }

    /**
     * Waits until the metrics-service has every run's end: statuses and metrics travel on different topics, so the
     * SUCCEEDED the scheduler shows can arrive before the last iterations are aggregated.
     */
    private void awaitMetrics(MetricsClient metrics, String sweepId) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode summary = metrics.summaryIfAvailable(sweepId).orElse(null);
            if (summary != null && settled(summary)) {
                return;
            }
            Thread.sleep(500);
        }
        err().println("the metrics-service has not caught up with every run after " + SETTLE_TIMEOUT.toSeconds()
                + " s; the report shows what it has");
    }

    static boolean settled(JsonNode summary) {
        if (summary.path("runs").isEmpty() || summary.path("runCount").asInt(0) > summary.path("runs").size()) {
            return false;
        }
        for (JsonNode run : summary.path("runs")) {
            String state = run.path("state").asText("");
            if (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
                return false;
            }
            JsonNode budget = run.path("budgetIterations");
            if ("SUCCEEDED".equals(state) && budget.isNumber() && run.path("iterations").asLong() < budget.asLong()) {
                return false;
            }
        }
        return true;
    }
}

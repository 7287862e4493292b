package dev.batchscope.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.cli.preflight.DatasetCheck;
import dev.batchscope.cli.render.Format;
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
import dev.batchscope.events.spec.RunOutcome;
import dev.batchscope.events.spec.RunState;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The textbook experiment end to end: start the local stack (`up`), submit the sweep "
                + "(Fashion-MNIST, an MLP, batch sizes 16, 32, 64, 128, 256 and full batch, the same learning rate for "
                + "all), watch it train and write the report; then the tuned study (each batch size at its best of "
                + "several learning rates, stopping at the target) and a comparison of the two answers. The stack "
                + "stays up for the live page; `batchscope down` stops it.",
                "With its defaults it took 3 min 46 s on two cores, starting the stack included (67 s the textbook, "
                        + "117 s the study); --full trains on all 60,000 images and takes far longer."})
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
    static final String STUDY_BATCH_SIZES = "16,32,64,128,256,512,1024,full";
    static final int STUDY_EPOCHS = 12;
    static final int STUDY_CANDIDATES = 4;
    /**
     * The study's candidates at batch size 32, centred per batch size by the square-root rule: 0.03 to 0.3 brackets
     * the textbook's 0.1 at small batches and reaches about 1.7 at batch 1024.
     */
    static final DemoSweep.Search STUDY_SEARCH = new DemoSweep.Search(0.03, 0.3, STUDY_CANDIDATES);
    /** The base batch size of the linear-scaling arm: the learning rate is --lr at this size. */
    static final int SCALING_BASE_BATCH = 32;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    /** The spec field each flag sets, to name the flag beside the validator's field. */
    private static final Map<String, String> TEXTBOOK_FLAGS = Map.of("dataset.samples", "--samples",
            "budget.epochs", "--epochs", "learningRate.base", "--lr", "targetLoss", "--target-loss",
            "batchSizes", "--batch-sizes", "seeds", "--seeds", "model.hidden", "--hidden", "noise.every", "--noise-every");
    private static final FieldFlags FLAG_OF_FIELD = new FieldFlags(TEXTBOOK_FLAGS);
    /** The study's: its own flags where they differ from the textbook's. */
    private static final FieldFlags STUDY_FLAG_OF_FIELD = new FieldFlags(studyFlags());

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

    @Option(names = "--no-study",
            description = "Skip the tuned study that follows the textbook sweep. The study trains every batch size of "
                    + "--study-batch-sizes at " + STUDY_CANDIDATES + " learning rates (log-spaced, centred per batch "
                    + "size by the square-root rule), stops each run at the target loss and stops early the runs "
                    + "that can no longer beat their batch size's best; the demo then says how its answer differs "
                    + "from the textbook's fixed learning rate, and why.")
    boolean noStudy;

    @Option(names = "--study-batch-sizes", split = ",", paramLabel = "B", defaultValue = STUDY_BATCH_SIZES,
            description = "Batch sizes of the tuned study (default ${DEFAULT-VALUE}).")
    List<String> studyBatchSizes;

    @Option(names = "--study-epochs", paramLabel = "E", defaultValue = "" + STUDY_EPOCHS,
            description = "The study's budget per run, in epochs: an upper bound, as runs stop at the target "
                    + "(default ${DEFAULT-VALUE}).")
    int studyEpochs;

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
        List<DemoSweep> planned = checkedSweeps();
        // before the stack starts: a sweep whose runs cannot find their data is never submitted
        DatasetCheck.require(DemoSweep.DATASET, "the demo");
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

        boolean json = global().json();
        PrintWriter say = json ? err() : out();
        say.println();
        // the textbook sweeps train together; the study starts when they have ended, so each one's time is its own
        Map<DemoSweep, String> submitted = new LinkedHashMap<>();
        Map<DemoSweep, Long> submittedAt = new LinkedHashMap<>();
        for (DemoSweep sweep : planned) {
            if (!sweep.tuned()) {
                submit(scheduler, sweep, submitted, submittedAt, say, metricsUrl);
            }
        }
        CancelOnInterrupt cancel = new CancelOnInterrupt(scheduler, Set.copyOf(submitted.values()), err());
        Runtime.getRuntime().addShutdownHook(cancel);
        try {
            say.println();
            say.flush();
            int exit = ExitCodes.OK;
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            ArrayNode results = result.putArray("sweeps");
            List<Path> written = new ArrayList<>();
            Map<DemoSweep, JsonNode> summaries = new LinkedHashMap<>();
            for (DemoSweep sweep : planned) {
                if (!submitted.containsKey(sweep)) {
                    cancel.submitted(submit(scheduler, sweep, submitted, submittedAt, say, metricsUrl));
                    say.flush();
                }
                String sweepId = submitted.get(sweep);
                int watched = new SweepWatcher(scheduler, metrics, out(), err(), json, watchOptions)
                        .beforeEachRefresh(() -> requireAlive(stack))
                        .watch(sweepId);
                cancel.finished(sweepId);
                long sweepSeconds = Duration.ofNanos(System.nanoTime() - submittedAt.get(sweep)).toSeconds();
                JsonNode finished = scheduler.sweep(sweepId);
                FailureSummary.of(finished).lines().forEach(say::println);
                List<String> diverged = diverged(finished);
                if (!diverged.isEmpty()) {
                    say.println(divergedNote(sweep, diverged));
                }
                if (watched != ExitCodes.OK) {
                    exit = watched;
                }
                awaitMetrics(metrics, sweepId, finished);
                ReportData data = ReportData.fetch(new MetricsClient(metricsUrl, Duration.ofSeconds(60)), scheduler,
                        sweepId);
                summaries.put(sweep, data.summary());
                ReportWriter.Report report = ReportWriter.write(data, reports.resolve(sweepId));
                Path markdown = report.dir().resolve(ReportWriter.MARKDOWN);
                written.add(markdown);
                ObjectNode item = results.addObject();
                item.put("sweepId", sweepId);
                item.put("name", sweep.name());
                item.put("seconds", sweepSeconds);
                item.put("state", finished.path("state").asText());
                item.put("report", markdown.toAbsolutePath().toString());
                item.put("recommendation", report.recommendation());
                if (!json) {
                    out().println();
                    out().println("sweep " + sweepId + " (" + sweep.name() + "), " + sweepSeconds + " s");
                    out().println(report.table());
                    out().println(report.recommendation());
                    out().flush();
                }
            }
            StudyComparison.of(summaries).ifPresent(comparison -> {
                Path file = reports.resolve(StudyComparison.FILE);
                try {
                    comparison.write(file);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                result.put("comparison", file.toAbsolutePath().toString());
                written.add(file);
                say.println();
                comparison.lines().forEach(say::println);
            });
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            result.put("seconds", seconds);
            result.put("livePage", metricsUrl + "/");
            say.println();
            for (Path report : written) {
                say.println(report.endsWith(StudyComparison.FILE)
                        ? "the two answers side by side: " + StackLayout.display(report)
                        : "report: " + StackLayout.display(report) + "  (charts, series.csv and summary.json beside it)");
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

    private String submit(SchedulerClient scheduler, DemoSweep sweep, Map<DemoSweep, String> submitted,
                          Map<DemoSweep, Long> submittedAt, PrintWriter say, URI metricsUrl) {
        String sweepId = scheduler.submitSpec(sweep.toSpec());
        submitted.put(sweep, sweepId);
        submittedAt.put(sweep, System.nanoTime());
        say.println("sweep " + sweepId + " (" + sweep.name() + "): " + sweep.runCount() + " runs; live page "
                + metricsUrl + "/?sweep=" + sweepId);
        return sweepId;
    }

    /** The runs that diverged (state DIVERGED): "batch 1024 at lr 1.7", each once. */
    static List<String> diverged(JsonNode sweep) {
        List<String> runs = new ArrayList<>();
        for (JsonNode run : sweep.path("runs")) {
            if (RunState.DIVERGED.wire().equals(run.path("state").asText())) {
                String size = run.path("batchSize").asText();
                JsonNode lr = run.path("learningRate");
                runs.add(lr.isNumber() ? size + " at lr " + Format.number(lr.asDouble()) : size);
            }
        }
        return runs.stream().distinct().toList();
    }

    /** Diverged runs are results, not failures: the note says what they mean for this sweep. */
    static String divergedNote(DemoSweep sweep, List<String> diverged) {
        String which = "batch size " + String.join(", ", diverged);
        if (sweep.tuned()) {
            return which + " diverged: those learning rates are too high for their batch size, and the study counts"
                    + " them as never reaching the target";
        }
        if ("linear".equals(sweep.scaling())) {
            return "in the linear-scaling arm, " + which
                    + " diverged: past a point, the scaled learning rate is more than SGD can take";
        }
        return which + " diverged: the learning rate is too high for it";
    }

    List<DemoSweep> sweeps() {
        Integer images = full ? null : samples;
        List<DemoSweep> list = new ArrayList<>();
        list.add(new DemoSweep("textbook-same-lr", images, hidden, batchSizes, lr, "none", SCALING_BASE_BATCH, 0,
                epochs, targetLoss, seeds, noiseEvery));
        if (scalingArm) {
            list.add(new DemoSweep("textbook-linear-lr", images, hidden, batchSizes, lr, "linear",
                    SCALING_BASE_BATCH, 1, epochs, targetLoss, seeds, noiseEvery));
        }
        if (!noStudy) {
            list.add(new DemoSweep("study-tuned", images, hidden, studyBatchSizes, 0, "sqrt", SCALING_BASE_BATCH, 0,
                    studyEpochs, targetLoss, seeds, noiseEvery, STUDY_SEARCH));
        }
        return list;
    }

    /**
     * The demo's sweeps, checked here by the scheduler's own rules before the stack starts: a flag that makes a bad
     * spec costs nothing, and the message names the flag and the spec field.
     */
    private List<DemoSweep> checkedSweeps() {
        if (!full && samples > TrainingSplit.FASHION_MNIST_TRAIN_IMAGES) {
            throw CliException.usage("--samples: Fashion-MNIST has " + TrainingSplit.FASHION_MNIST_TRAIN_IMAGES
                    + " training images, got " + samples + "; --full uses all of them");
        }
        List<DemoSweep> list = sweeps();
        for (DemoSweep sweep : list) {
            try {
                SpecSource.json(sweep.name(), sweep.toSpec()).read();
            } catch (ValidationException e) {
                StringBuilder sb = new StringBuilder("the demo's sweep " + sweep.name()
                        + " is not valid; nothing was started:");
                for (Violation v : e.violations()) {
                    FieldFlags flags = sweep.tuned() ? STUDY_FLAG_OF_FIELD : FLAG_OF_FIELD;
                    sb.append(System.lineSeparator()).append("  ").append(flags.prefix(v.field()))
                            .append(v.field()).append(": ").append(v.message());
                }
                throw CliException.usage(sb.toString());
            }
        }
        return list;
    }

    private static Map<String, String> studyFlags() {
        Map<String, String> flags = new HashMap<>(TEXTBOOK_FLAGS);
        flags.put("batchSizes", "--study-batch-sizes");
        flags.put("budget.epochs", "--study-epochs");
        return flags;
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
    private void awaitMetrics(MetricsClient metrics, String sweepId, JsonNode finished) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode summary = metrics.summaryIfAvailable(sweepId).orElse(null);
            if (summary != null && settled(summary, finished)) {
                return;
            }
            Thread.sleep(500);
        }
        err().println("the metrics-service has not caught up with every run after " + SETTLE_TIMEOUT.toSeconds()
                + " s; the report shows what it has");
    }

    /**
     * Whether the metrics-service's summary has every run's end: each run terminal, and a run that trained its whole
     * budget (outcome completed) or stopped at the target (reached-target) has its iterations up to there. A pruned
     * run stops at a cap only the scheduler and the trainer know, so its terminal state is enough.
     *
     * @param sweep the scheduler's view of the finished sweep, which carries each run's outcome
     */
    static boolean settled(JsonNode summary, JsonNode sweep) {
        if (summary.path("runs").isEmpty() || summary.path("runCount").asInt(0) > summary.path("runs").size()) {
            return false;
        }
        Map<String, JsonNode> scheduled = new HashMap<>();
        sweep.path("runs").forEach(run -> scheduled.put(run.path("runId").asText(), run));
        for (JsonNode run : summary.path("runs")) {
            RunState state = RunState.parse(run.path("state").asText("")).orElse(null);
            if (state == null || !state.terminal()) {
                return false;
            }
            JsonNode view = scheduled.getOrDefault(run.path("runId").asText(), MissingNode.getInstance());
            String outcome = view.path("outcome").asText(RunOutcome.COMPLETED.wire());
            long iterations = run.path("iterations").asLong();
            JsonNode budget = run.path("budgetIterations");
            if (outcome.equals(RunOutcome.COMPLETED.wire()) && state == RunState.SUCCEEDED && budget.isNumber()
                    && iterations < budget.asLong()) {
                return false;
            }
            JsonNode reachedAt = view.path("reachedTargetAt");
            if (outcome.equals(RunOutcome.REACHED_TARGET.wire()) && reachedAt.isNumber()
                    && iterations < reachedAt.asLong()) {
                return false;
            }
        }
        return true;
    }
}

package dev.batchscope.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.Subcommand;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.cli.demo.CancelOnInterrupt;
import dev.batchscope.cli.probe.ProcessMemory;
import dev.batchscope.cli.probe.PrometheusScrape;
import dev.batchscope.cli.stack.LocalStack;
import dev.batchscope.cli.stack.StackLayout;
import dev.batchscope.cli.stack.StackState;
import dev.batchscope.cli.stack.UpCommand;
import dev.batchscope.cli.sweep.SpecSource;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.prometheus.PrometheusText;
import dev.batchscope.events.spec.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Put the local stack under load and say whether it kept up: submit N sweeps at once (a run per "
                + "batch size, a small MLP on synthetic data, a fixed number of steps), wait for every run, and report "
                + "runs completed, events per second, the largest consumer lag, each process's memory, and whether "
                + "every iteration a trainer sent was aggregated exactly once.",
                "Starts the stack when it is not running (`--down` stops it afterwards). Exit 0 when every run succeeded "
                        + "and nothing was lost, 1 otherwise. docs/reliability.md has the figures of a run."})
public class LoadCommand extends Subcommand implements Callable<Integer> {
    /** The metrics-service keeps every point of a run's series up to this many (series-points), then downsamples. */
    static final int MAX_STEPS = 2000;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofSeconds(1);

    @Option(names = "--sweeps", paramLabel = "N", defaultValue = "20",
            description = "Sweeps submitted at once, 1 to 200 (default ${DEFAULT-VALUE}).")
    int sweeps;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "B", defaultValue = "16,32,64,128,256,full",
            description = "A run per batch size in every sweep: positive integers or full (default ${DEFAULT-VALUE}).")
    List<String> batchSizes;

    @Option(names = "--steps", paramLabel = "S", defaultValue = "100",
            description = "Optimizer steps of every run, 1 to " + MAX_STEPS + " (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--dataset", paramLabel = "DATASET", defaultValue = "synthetic-blobs",
            converter = LoadDataset.Converter.class,
            description = "synthetic-blobs or synthetic-linear (default ${DEFAULT-VALUE}).")
    LoadDataset dataset;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "2048",
            description = "Examples in the synthetic dataset, 64 to 100000 (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--hidden", split = ",", paramLabel = "WIDTH", defaultValue = "32",
            description = "Hidden layer widths of the MLP, 1 to 4 layers of 1 to 1024 (default ${DEFAULT-VALUE}).")
    List<Integer> hidden;

    @Option(names = "--trainers", paramLabel = "N", defaultValue = "" + UpCommand.DEFAULT_TRAINERS,
            description = "Trainer processes when the command starts the stack (default ${DEFAULT-VALUE}).")
    int trainers;

    @Option(names = "--sample-every", paramLabel = "MS", defaultValue = "1000",
            description = "Milliseconds between samples of lag and memory, 200 to 60000 (default ${DEFAULT-VALUE}).")
    int sampleEveryMillis;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "60",
            description = "Give up (and cancel the sweeps) after this many minutes, 1 to 1440 (default ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Option(names = "--down", description = "Stop the stack at the end if this command started it.")
    boolean down;

    @Override
    public Integer call() throws IOException, InterruptedException {
        validate();
        String tag = Long.toString(Instant.now().getEpochSecond(), 36);
        List<LoadSweep> plan = new ArrayList<>();
        for (int i = 1; i <= sweeps; i++) {
            plan.add(new LoadSweep("load-" + tag + "-" + i, dataset.wire(), samples, hidden, batchSizes, steps, i));
        }
        // the scheduler's rules, here, before the stack starts: a spec it would refuse costs nothing
        plan.forEach(sweep -> SpecSource.json("the load's sweep " + sweep.name(), sweep.toSpec()).check());
        PrintWriter say = global().json() ? err() : out();
        LocalStack stack = new LocalStack(StackLayout.fromEnvironment(), err());
        LocalStack.Up up = stack.up(trainers);
        StackState state = up.state();
        if (global().urlsGiven()) {
            err().println("note: load uses its local stack, not --scheduler-url/--metrics-url");
        }
        SchedulerClient scheduler = new SchedulerClient(URI.create(state.service("scheduler").orElseThrow().url()),
                global().token());
        MetricsClient metrics = new MetricsClient(URI.create(state.service("metrics").orElseThrow().url()),
                Duration.ofSeconds(60));
        try {
            LoadReport report = run(state, scheduler, metrics, plan, say);
            if (global().json()) {
                out().println(EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()));
            } else {
                report.lines().forEach(out()::println);
            }
            out().flush();
            return report.passed() ? ExitCodes.OK : ExitCodes.SWEEP_FAILED;
        } finally {
            if (down && up.started()) {
                LocalStack.Down stopped = stack.down();
                say.println(stopped.left().isEmpty() ? "stopped the stack" : "could not stop " + stopped.left());
                say.flush();
            }
        }
    }

    private LoadReport run(StackState state, SchedulerClient scheduler, MetricsClient metrics, List<LoadSweep> plan,
                           PrintWriter say) throws IOException, InterruptedException {
        int runsPerSweep = batchSizes.size();
        int runs = sweeps * runsPerSweep;
        say.printf("load: %d sweeps x %d batch sizes = %d runs of %d steps (%s, %d examples, mlp %s), %d trainers%n",
                sweeps, runsPerSweep, runs, steps, dataset, samples, hidden, state.trainers().size());
        say.flush();
        DeliveryCount.TrainerCounters before = DeliveryCount.trainers(state.trainers());
        double consumedBefore = consumed(state);

        List<String> sweepIds = new ArrayList<>();
        LoadMonitor monitor = new LoadMonitor(state, Duration.ofMillis(sampleEveryMillis));
        monitor.start();
        long started = System.nanoTime();
        // registered before the first submit, so Ctrl-C during the submissions cancels what was submitted
        CancelOnInterrupt cancel = new CancelOnInterrupt(scheduler, Set.of(), err());
        Runtime.getRuntime().addShutdownHook(cancel);
        Finished finished;
        try {
            try {
                for (LoadSweep sweep : plan) {
                    String sweepId = scheduler.submitSpec(sweep.toSpec());
                    sweepIds.add(sweepId);
                    cancel.submitted(sweepId);
                }
            } catch (RuntimeException e) {
                cancel.run(); // a refused submit ends the load: the sweeps already submitted stop too
                throw e;
            }
            finished = awaitRuns(scheduler, sweepIds, runs, started, say);
        } finally {
            monitor.close();
            Runtime.getRuntime().removeShutdownHook(cancel);
        }
        double seconds = (finished.atNanos() - started) / 1e9;
        if (finished.timedOut()) {
            for (String sweepId : sweepIds) {
                scheduler.cancel(sweepId);
            }
            say.println("load: not finished after " + timeoutMinutes + " min; cancelled its sweeps");
        }
        List<DeliveryCount.RunIterations> aggregated = awaitAggregated(metrics, sweepIds, finished.succeeded());
        DeliveryCount.TrainerCounters after = DeliveryCount.trainers(state.trainers());
        double consumedAfter = consumed(state);
        Map<String, LoadReport.Memory> memory = new LinkedHashMap<>();
        Map<String, Long> sampled = monitor.maxRss();
        memory.put("kafka", memory(state.kafka().pid(), sampled.get("kafka")));
        state.services().forEach(s -> memory.put(s.name(), memory(s.pid(), sampled.get(s.name()))));

        return new LoadReport(new LoadReport.Plan(sweeps, batchSizes, steps, dataset.wire(), samples, hidden,
                state.trainers().size()), finished.counts(), finished.resumed(), seconds, before, after,
                consumedAfter - consumedBefore, aggregated, (long) runs * steps, monitor.maxTrainerLag(),
                monitor.maxMetricsLag(), monitor.maxMetricsFetchLag(), monitor.samples(), memory,
                monitor.lastProblem());
    }

    /** How the runs ended, when (System.nanoTime), and how many resumed in a later attempt. */
    private record Finished(Map<RunState, Integer> counts, int succeeded, int resumed, long atNanos, boolean timedOut) {
    }

    private Finished awaitRuns(SchedulerClient scheduler, List<String> sweepIds, int runs, long started, PrintWriter say)
            throws InterruptedException {
        long deadline = started + Duration.ofMinutes(timeoutMinutes).toNanos();
        long lastSaid = System.nanoTime();
        while (true) {
            Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
            int resumed = 0;
            for (String sweepId : sweepIds) {
                for (JsonNode run : scheduler.sweep(sweepId).path("runs")) {
                    RunState.parse(run.path("state").asText()).ifPresent(s -> counts.merge(s, 1, Integer::sum));
                    if (run.path("attempt").asInt(0) > 1) {
                        resumed++;
                    }
                }
            }
            // every terminal state ends a run, DIVERGED included (a result, which the verdict then counts as not
            // succeeded)
            int ended = counts.entrySet().stream().filter(e -> e.getKey().terminal())
                    .mapToInt(Map.Entry::getValue).sum();
            long now = System.nanoTime();
            if (ended == runs || now > deadline) {
                return new Finished(counts, counts.getOrDefault(RunState.SUCCEEDED, 0), resumed, now, ended < runs);
            }
            if (now - lastSaid > Duration.ofSeconds(15).toNanos()) {
                say.printf("load: %d of %d runs finished after %d s%n", ended, runs,
                        Duration.ofNanos(now - started).toSeconds());
                say.flush();
                lastSaid = now;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * Statuses and metrics travel on different topics, so a run can read SUCCEEDED before its last iterations are
     * aggregated: waits until the metrics-service holds every step of every succeeded run (or gives up and reports
     * what it has).
     */
    private List<DeliveryCount.RunIterations> awaitAggregated(MetricsClient metrics, List<String> sweepIds, int succeeded)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            List<DeliveryCount.RunIterations> runs = DeliveryCount.aggregated(metrics, sweepIds);
            long complete = runs.stream().filter(r -> r.state() == RunState.SUCCEEDED && r.distinct() >= steps).count();
            if (complete >= succeeded || System.nanoTime() > deadline) {
                return runs;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static double consumed(StackState state) throws InterruptedException {
        try {
            return PrometheusScrape.scrape(state.service("metrics").orElseThrow().prometheusUrl())
                    .sum("batchscope_events_consumed_total", PrometheusText.any());
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static LoadReport.Memory memory(long pid, Long sampledMax) {
        OptionalLong now = ProcessMemory.rssBytes(pid);
        OptionalLong peak = ProcessMemory.peakRssBytes(pid);
        return new LoadReport.Memory(pid, sampledMax, now.isPresent() ? now.getAsLong() : null,
                peak.isPresent() ? peak.getAsLong() : null);
    }

    private void validate() {
        if (sweeps < 1 || sweeps > 200) {
            throw CliException.usage("--sweeps: must be from 1 to 200, got " + sweeps);
        }
        if (batchSizes.isEmpty() || batchSizes.size() > 12) {
            throw CliException.usage("--batch-sizes: give 1 to 12 batch sizes, got " + batchSizes.size());
        }
        if (new HashSet<>(batchSizes).size() != batchSizes.size()) {
            throw CliException.usage("--batch-sizes: each batch size once, got " + String.join(",", batchSizes));
        }
        if (samples < 64 || samples > 100_000) {
            throw CliException.usage("--samples: must be from 64 to 100000, got " + samples);
        }
        for (String size : batchSizes) {
            if (!size.equals("full") && !size.matches("[1-9][0-9]{0,5}")) {
                throw CliException.usage("--batch-sizes: each must be a positive integer or \"full\", got \"" + size + "\"");
            }
            if (!size.equals("full") && Integer.parseInt(size) > samples) {
                throw CliException.usage("--batch-sizes: " + size + " is more than the " + samples
                        + " examples of --samples; use full for the whole dataset");
            }
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw CliException.usage("--steps: must be from 1 to " + MAX_STEPS + " (the metrics-service keeps every "
                    + "point of a run up to 2048, which the check that nothing was lost counts), got " + steps);
        }
        if (hidden.isEmpty() || hidden.size() > 4 || hidden.stream().anyMatch(w -> w < 1 || w > 1024)) {
            throw CliException.usage("--hidden: 1 to 4 widths, each from 1 to 1024, got " + hidden);
        }
        if (trainers < 1 || trainers > 16) {
            throw CliException.usage("--trainers: must be from 1 to 16, got " + trainers);
        }
        if (sampleEveryMillis < 200 || sampleEveryMillis > 60_000) {
            throw CliException.usage("--sample-every: must be from 200 to 60000 milliseconds, got " + sampleEveryMillis);
        }
        if (timeoutMinutes < 1 || timeoutMinutes > 1440) {
            throw CliException.usage("--timeout: must be from 1 to 1440 minutes, got " + timeoutMinutes);
        }
    }
}

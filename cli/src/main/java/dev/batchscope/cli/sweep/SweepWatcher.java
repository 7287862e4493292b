package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.cli.client.MetricsClient;
import dev.batchscope.cli.client.MetricsSummary;
import dev.batchscope.cli.client.SchedulerClient;
import dev.batchscope.cli.render.Format;
import dev.batchscope.cli.render.Table;
import dev.batchscope.events.spec.RunState;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows a sweep until every run has ended: states from the scheduler, figures from the metrics-service when it
 * answers. Prints a table redrawn in place (terminal), a line per state change and the final table (pipe), or a
 * JSON snapshot per change (--output json). Exit 0 when every run succeeded, 1 otherwise.
 */
public class SweepWatcher {
    /** Consecutive failed refreshes (after the first success) before giving up as unreachable. */
    private static final int MAX_MISSES = 15;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final String CURSOR_UP = "\u001b[%dF";
    private static final String CLEAR_BELOW = "\u001b[J";

    private final SchedulerClient scheduler;
    private final MetricsClient metrics;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final WatchOptions options;

    private Runnable beforeRefresh = () -> { };
    private final Map<String, String> lastStates = new HashMap<>();
    private String lastSnapshot;
    private int drawnLines;

    public SweepWatcher(SchedulerClient scheduler, MetricsClient metrics, PrintWriter out, PrintWriter err, boolean json,
                        WatchOptions options) {
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.out = out;
        this.err = err;
        this.json = json;
        this.options = options;
    }

    /**
     * Runs {@code check} before every refresh; it ends the watch by throwing (a {@link CliException}), e.g. when a
     * process of the local stack has died and the sweep can no longer finish.
     */
    public SweepWatcher beforeEachRefresh(Runnable check) {
        this.beforeRefresh = check;
        return this;
    }

    /** One row of the table, also the JSON snapshot of a run. */
    record Row(String runId, String label, String batchSize, Integer effectiveBatchSize, String seed, String state,
               Long iterations, Long budget, Long epoch, Long epochs, Double loss, Double lossEma, Double noiseScale,
               Double samplesPerSecond) {
    }

    public int watch(String sweepId) {
        boolean live = !json && options.live();
        int misses = 0;
        boolean seenOnce = false;
        while (true) {
            beforeRefresh.run();
            JsonNode sweep;
            try {
                sweep = scheduler.sweep(sweepId);
                misses = 0;
                seenOnce = true;
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.UNREACHABLE || !seenOnce || ++misses > MAX_MISSES) {
                    throw e;
                }
                pause();
                continue;
            }
            Optional<MetricsSummary> summary = metrics.summary(sweepId);
            List<Row> rows = rows(sweep, summary);
            if (json) {
                printSnapshot(sweep, rows, summary.isPresent());
            } else if (live) {
                redraw(sweep, rows, summary.isPresent());
            } else {
                printChanges(rows);
            }
            RunState state = RunState.parse(sweep.path("state").asText()).orElse(RunState.QUEUED);
            if (state.terminal()) {
                if (!json && !live) {
                    out.println(header(sweep, summary.isPresent()));
                    out.println(table(rows));
                }
                out.flush();
                return state == RunState.SUCCEEDED ? ExitCodes.OK : ExitCodes.SWEEP_FAILED;
            }
            pause();
        }
    }

    static List<Row> rows(JsonNode sweep, Optional<MetricsSummary> summary) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode run : sweep.path("runs")) {
            String runId = run.path("runId").asText();
            String batchSize = run.path("batchSize").asText(null);
            Integer effective = run.path("effectiveBatchSize").isNumber() ? run.path("effectiveBatchSize").asInt() : null;
            MetricsSummary.Figures f = summary.flatMap(s -> s.figures(runId, batchSize, effective)).orElse(null);
            rows.add(new Row(runId, SweepText.runLabel(run), SweepText.batchSize(run), effective, SweepText.text(run, "seed"),
                    run.path("state").asText(), f == null ? null : f.iterations(),
                    RunBudget.iterations(run, f == null ? null : f.totalIterations()),
                    f == null ? null : f.epoch(), RunBudget.epochs(run),
                    f == null ? null : f.loss(), f == null ? null : f.lossEma(), f == null ? null : f.noiseScale(),
                    f == null ? null : f.samplesPerSecond()));
        }
        return rows;
    }

    static Table table(List<Row> rows) {
        Table table = new Table("RUN", "BATCH", "SEED", "PROGRESS", "EPOCH", "LOSS", "EMA LOSS", "NOISE SCALE", "SAMPLES/S", "STATE");
        for (Row row : rows) {
            Long done = "SUCCEEDED".equals(row.state()) && row.iterations() == null ? row.budget() : row.iterations();
            table.row(row.label(), row.batchSize(), row.seed(), Format.progress(done, row.budget()),
                    row.epoch() == null ? "-" : row.epoch() + (row.epochs() == null ? "" : "/" + row.epochs()),
                    Format.number(row.loss()), Format.number(row.lossEma()), Format.number(row.noiseScale()),
                    Format.whole(row.samplesPerSecond()), row.state());
        }
        return table;
    }

    private String header(JsonNode sweep, boolean figures) {
        return SweepText.header(sweep) + (figures ? "" : "   (figures: metrics-service at " + metrics.base() + " not available)");
    }

    private void redraw(JsonNode sweep, List<Row> rows, boolean figures) {
        List<String> lines = new ArrayList<>();
        lines.add(header(sweep, figures));
        lines.addAll(table(rows).lines());
        if (drawnLines > 0) {
            out.print(String.format(CURSOR_UP, drawnLines) + CLEAR_BELOW);
        }
        lines.forEach(out::println);
        out.flush();
        drawnLines = lines.size();
    }

    private void printChanges(List<Row> rows) {
        for (Row row : rows) {
            String previous = lastStates.put(row.runId(), row.state());
            if (!row.state().equals(previous)) {
                out.println(LocalTime.now().format(CLOCK) + "  " + row.runId() + "  batch " + row.batchSize()
                        + "  seed " + row.seed() + "  " + row.state());
            }
        }
        out.flush();
    }

    private void printSnapshot(JsonNode sweep, List<Row> rows, boolean figures) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode snapshot = f.objectNode();
        snapshot.put("sweepId", sweep.path("sweepId").asText());
        snapshot.put("name", sweep.path("name").asText());
        snapshot.put("state", sweep.path("state").asText());
        snapshot.put("metricsAvailable", figures);
        ArrayNode runs = snapshot.putArray("runs");
        for (Row row : rows) {
            ObjectNode run = runs.addObject();
            run.put("runId", row.runId());
            run.put("batchSize", sweepBatchSize(sweep, row.runId()));
            putNumber(run, "effectiveBatchSize", row.effectiveBatchSize() == null ? null : row.effectiveBatchSize().doubleValue());
            run.put("seed", row.seed());
            run.put("state", row.state());
            putNumber(run, "iterations", row.iterations() == null ? null : row.iterations().doubleValue());
            putNumber(run, "iterationBudget", row.budget() == null ? null : row.budget().doubleValue());
            putNumber(run, "epoch", row.epoch() == null ? null : row.epoch().doubleValue());
            putNumber(run, "loss", row.loss());
            putNumber(run, "lossEma", row.lossEma());
            putNumber(run, "noiseScale", row.noiseScale());
            putNumber(run, "samplesPerSecond", row.samplesPerSecond());
        }
        String line = snapshot.toString();
        if (!line.equals(lastSnapshot)) {
            out.println(line);
            out.flush();
            lastSnapshot = line;
        }
    }

    private static String sweepBatchSize(JsonNode sweep, String runId) {
        for (JsonNode run : sweep.path("runs")) {
            if (runId.equals(run.path("runId").asText())) {
                return run.path("batchSize").asText();
            }
        }
        return null;
    }

    private static void putNumber(ObjectNode node, String field, Double value) {
        if (value == null) {
            node.putNull(field);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            node.put(field, value.longValue());
        } else {
            node.put(field, value);
        }
    }

    private void pause() {
        try {
            Thread.sleep(options.intervalMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SWEEP_FAILED, "interrupted");
        }
    }
}

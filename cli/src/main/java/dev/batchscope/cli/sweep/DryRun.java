package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.cli.render.Format;
import dev.batchscope.cli.render.Table;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.LrScaling;
import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.RunSize;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.SweepSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sweep would train, worked out here and sent nowhere: the runs of {@link SweepSpec#expand()} (the scheduler's
 * expansion, so whatever it makes of a spec, every tuned learning-rate candidate included, is what is shown) with each
 * run's size by the trainer's rules ({@link RunSize}). Where only the data can tell (csv, cifar-10), a figure stays
 * unknown; where runs stop at the target, steps and samples are the budget, an upper bound.
 *
 * @param samplesPerSecond a throughput to estimate the wall time with; null when none is given
 */
record DryRun(SweepSpec sweep, List<PlannedRun> runs, Double samplesPerSecond) {

    /**
     * One run as it will be requested.
     *
     * @param learningRate the peak rate after batch-size scaling; null when it needs the size of a full batch
     */
    record PlannedRun(int index, RunSpec spec, RunSize size, Double learningRate) {
    }

    static DryRun of(SweepSpec sweep, Double samplesPerSecond) {
        List<PlannedRun> runs = new ArrayList<>();
        List<RunSpec> specs = sweep.expand();
        for (int i = 0; i < specs.size(); i++) {
            RunSpec run = specs.get(i);
            RunSize size = RunSize.fromSpec(run);
            runs.add(new PlannedRun(i, run, size, learningRate(run, size)));
        }
        return new DryRun(sweep, runs, samplesPerSecond);
    }

    private static Double learningRate(RunSpec run, RunSize size) {
        if (size.batchSize() != null) {
            return run.learningRate().forBatchSize(size.batchSize());
        }
        return run.learningRate().scaling() == LrScaling.NONE ? run.learningRate().base() : null;
    }

    /** Examples seen by all runs together; null when a run's figure is unknown. */
    Long totalSamples() {
        long total = 0;
        for (PlannedRun run : runs) {
            if (run.size().samples() == null) {
                return null;
            }
            total += run.size().samples();
        }
        return total;
    }

    /** Seconds for one trainer to train every run at the given throughput; null without one. */
    Double wallSeconds() {
        Long total = totalSamples();
        return total == null || samplesPerSecond == null ? null : total / samplesPerSecond;
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("dry run of sweep " + sweep.name() + ": " + sweep.dataset().name().wire() + trainExamples() + ", "
                + sweep.model().label() + ", " + budget(sweep.budget()) + protocol() + "; nothing was sent");
        Table table = new Table("RUN", "BATCH SIZE", "LEARNING RATE", "SEED", "STEPS", "SAMPLES");
        for (PlannedRun run : runs) {
            table.row("r" + run.index(), batchSize(run), Format.number(run.learningRate()), run.spec().seed(),
                    run.size().steps(), run.size().samples());
        }
        lines.addAll(table.lines());
        for (PlannedRun run : runs) {
            if (run.size().batchTooLarge()) {
                lines.add("r" + run.index() + ": batch size " + run.size().batchSize() + " is larger than the "
                        + run.size().trainExamples() + " training examples; the trainer will refuse this run");
            }
        }
        if (sweep.stopAtTarget()) {
            lines.add("each run stops once its smoothed loss reaches the target " + Format.number(sweep.targetLoss())
                    + " (stopAtTarget), so steps and samples are upper bounds"
                    + (sweep.pruning().prunes() ? "; pruning stops the runs that cannot win at " + sweep.pruning().margin()
                    + " x the best steps of their batch size and seed" : ""));
        }
        Long total = totalSamples();
        lines.add(runs.size() + " runs, " + (total == null ? "samples unknown (the data decides)" : total + " samples")
                + " in all; " + wallTime());
        return lines;
    }

    ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", sweep.name());
        node.put("dryRun", true);
        node.put("protocol", sweep.protocol().wire());
        node.put("runCount", runs.size());
        node.putPOJO("targetLoss", sweep.targetLoss());
        node.put("stopAtTarget", sweep.stopAtTarget());
        node.putPOJO("pruning", sweep.pruning());
        // with stopAtTarget a run may end early: its steps and samples are at most these
        node.put("stepsAreUpperBounds", sweep.stopAtTarget());
        ArrayNode list = node.putArray("runs");
        for (PlannedRun run : runs) {
            ObjectNode item = list.addObject();
            item.put("runIndex", run.index());
            item.putPOJO("batchSize", run.spec().batchSize().wire());
            item.putPOJO("effectiveBatchSize", run.size().batchSize());
            item.putPOJO("learningRate", run.learningRate());
            item.put("seed", run.spec().seed());
            item.putPOJO("trainExamples", run.size().trainExamples());
            item.putPOJO("steps", run.size().steps());
            item.putPOJO("samples", run.size().samples());
        }
        node.putPOJO("totalSamples", totalSamples());
        node.putPOJO("samplesPerSecond", samplesPerSecond);
        node.putPOJO("wallSeconds", wallSeconds());
        return node;
    }

    private String protocol() {
        return sweep.protocol() == Protocol.TUNED
                ? ", protocol tuned: " + sweep.learningRatesPerBatchSize() + " learning rates per batch size" : "";
    }

    private String trainExamples() {
        Integer n = runs.isEmpty() ? null : runs.get(0).size().trainExamples();
        return n == null ? "" : " (" + n + " training examples)";
    }

    private static String batchSize(PlannedRun run) {
        if (run.spec().batchSize().isFull()) {
            return run.size().batchSize() == null ? "full" : "full (" + run.size().batchSize() + ")";
        }
        return run.spec().batchSize().toString();
    }

    private static String budget(BudgetSpec budget) {
        if (budget.steps() != null) {
            return "budget " + budget.steps() + " steps";
        }
        return budget.samples() != null ? "budget " + budget.samples() + " samples"
                : "budget " + budget.epochs() + " epochs";
    }

    private String wallTime() {
        Double seconds = wallSeconds();
        if (seconds == null) {
            return samplesPerSecond == null ? "give --samples-per-second for a wall-time estimate"
                    : "wall time unknown (the data decides the samples)";
        }
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return String.format(java.util.Locale.ROOT, "about %dh %02dm %02ds on one trainer at %s samples/s",
                d.toHours(), d.toMinutesPart(), d.toSecondsPart(), Format.number(samplesPerSecond));
    }
}

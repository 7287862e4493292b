package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.render.Format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The report's six charts, worked out from the sweep's series and summary. */
final class ReportCharts {
    static final String LOSS_VS_ITERATIONS = "loss-vs-iterations.png";
    static final String LOSS_VS_SAMPLES = "loss-vs-samples.png";
    static final String LOSS_VS_SECONDS = "loss-vs-seconds.png";
    static final String ACCURACY_VS_EPOCH = "val-accuracy-vs-epoch.png";
    static final String NOISE_SCALE = "gradient-noise-scale.png";
    static final String TRADEOFF = "steps-samples-to-target.png";

    /** File and caption of each chart, in the order the report shows them. */
    static final List<String[]> CAPTIONS = List.of(
            new String[]{LOSS_VS_ITERATIONS, "Training loss vs iterations"},
            new String[]{LOSS_VS_SAMPLES, "Training loss vs samples seen"},
            new String[]{LOSS_VS_SECONDS, "Training loss vs wall-clock seconds"},
            new String[]{ACCURACY_VS_EPOCH, "Validation accuracy vs epoch"},
            new String[]{NOISE_SCALE, "Gradient noise scale over training"},
            new String[]{TRADEOFF, "Steps and samples to the target loss vs batch size"});

    private static final String LOSS_LABEL = "training loss (EMA)";

    private ReportCharts() {
    }

    static List<Path> render(ReportData data, SweepFacts facts, Path dir) throws IOException {
        List<LineChartSpec.Reference> target = facts.targetLoss() == null ? List.of()
                : List.of(new LineChartSpec.Reference("target loss " + Format.number(facts.targetLoss()),
                facts.targetLoss()));
        List<Path> files = new ArrayList<>();
        files.add(line(dir, LOSS_VS_ITERATIONS, "Training loss vs iterations", "iterations", LOSS_LABEL, true, false,
                curves(data.series("train_loss_ema", "step"), facts), true, target));
        files.add(line(dir, LOSS_VS_SAMPLES, "Training loss vs samples seen", "samples seen", LOSS_LABEL, false, false,
                curves(data.series("train_loss_ema", "samples"), facts), true, target));
        files.add(line(dir, LOSS_VS_SECONDS, "Training loss vs wall-clock time", "seconds since the run started",
                LOSS_LABEL, false, false, curves(data.series("train_loss_ema", "seconds"), facts), true, target));
        files.add(line(dir, ACCURACY_VS_EPOCH, "Validation accuracy vs epoch", "epoch", "validation accuracy", false,
                false, epochCurves(data.series("val_accuracy", "step"), facts), true, List.of()));
        JsonNode fit = data.summary().path("fit");
        List<LineChartSpec.Reference> bCrit = fit.path("bCrit").isNumber()
                ? List.of(new LineChartSpec.Reference(String.format("B_crit ≈ %,.0f (fit)", fit.path("bCrit").asDouble()),
                fit.path("bCrit").asDouble())) : List.of();
        files.add(line(dir, NOISE_SCALE, "Gradient noise scale B_simple over training (smoothed)", "samples seen",
                "noise scale B_simple", false, true, curves(data.series("noise_scale", "samples"), facts), true, bCrit));
        files.add(tradeoff(data, facts, dir));
        return files;
    }

    private static Path line(Path dir, String file, String title, String x, String y, boolean logX, boolean logY,
                             List<Curve> curves, boolean shapes, List<LineChartSpec.Reference> references)
            throws IOException {
        boolean empty = curves.stream().allMatch(c -> c.points().isEmpty());
        return ChartRenderer.lineChart(new LineChartSpec(file, title, x, y, logX, logY, curves, shapes,
                ACCURACY_VS_EPOCH.equals(file), references, empty ? "no points were recorded for this chart" : null), dir);
    }

    private static List<Curve> curves(List<RunSeries> runs, SweepFacts facts) {
        List<Curve> curves = new ArrayList<>();
        for (RunSeries run : runs) {
            curves.add(new Curve(facts.curveLabel(run), run.batchSize() == null ? Integer.MAX_VALUE : run.batchSize(),
                    run.points()));
        }
        return curves;
    }

    /** Validation points against epochs: iteration / steps per epoch (the series knows iterations only). */
    static List<Curve> epochCurves(List<RunSeries> runs, SweepFacts facts) {
        List<Curve> curves = new ArrayList<>();
        for (RunSeries run : runs) {
            Double stepsPerEpoch = stepsPerEpoch(run, facts);
            List<double[]> points = new ArrayList<>();
            if (stepsPerEpoch != null) {
                for (double[] p : run.points()) {
                    points.add(new double[]{p[0] / stepsPerEpoch, p[1]});
                }
            }
            curves.add(new Curve(facts.curveLabel(run), run.batchSize() == null ? Integer.MAX_VALUE : run.batchSize(),
                    points));
        }
        return curves;
    }

    /**
     * Steps per epoch of a run: its training examples over its batch size, rounded down as the trainer does (it
     * skips an epoch's last partial batch); without a known dataset size, the iteration of the first validation when
     * validation happens at the end of every epoch.
     */
    static Double stepsPerEpoch(RunSeries run, SweepFacts facts) {
        Integer n = facts.trainExamples();
        if (n != null && run.batchSize() != null && run.batchSize() > 0) {
            return (double) Math.max(1, n / run.batchSize());
        }
        if (facts.validatesEveryEpoch() && !run.points().isEmpty() && run.points().get(0)[0] > 0) {
            return run.points().get(0)[0];
        }
        return null;
    }

    private static Path tradeoff(ReportData data, SweepFacts facts, Path dir) throws IOException {
        List<double[]> steps = new ArrayList<>();
        List<double[]> samples = new ArrayList<>();
        int sizes = 0;
        for (JsonNode size : data.summary().path("batchSizes")) {
            sizes++;
            double b = size.path("batchSize").asDouble();
            if (size.path("stepsToTarget").isNumber()) {
                steps.add(new double[]{b, size.path("stepsToTarget").asDouble()});
            }
            if (size.path("samplesToTarget").isNumber()) {
                samples.add(new double[]{b, size.path("samplesToTarget").asDouble()});
            }
        }
        JsonNode fit = data.summary().path("fit");
        ChartRenderer.Fit parsed = fit.path("bCrit").isNumber() && fit.path("sMin").isNumber() && fit.path("eMin").isNumber()
                ? new ChartRenderer.Fit(fit.path("sMin").asDouble(), fit.path("eMin").asDouble(), fit.path("bCrit").asDouble())
                : null;
        // B_simple where the runs reached the target is what B_crit compares with; older summaries have only the end
        JsonNode atTarget = data.summary().path("noiseScaleAtTarget");
        JsonNode noise = atTarget.isNumber() ? atTarget : data.summary().path("noiseScale");
        String noiseLabel = atTarget.isNumber() ? "B_simple at target" : "B_simple (end)";
        String note;
        if (facts.targetLoss() == null) {
            note = "the sweep has no target loss, so nothing to reach";
        } else if (steps.isEmpty()) {
            note = "no batch size reached the target loss " + Format.number(facts.targetLoss());
        } else {
            note = steps.size() + " of " + sizes + " batch sizes reached the target loss "
                    + Format.number(facts.targetLoss()) + (parsed == null ? "; too few for the fit" : "");
        }
        return ChartRenderer.tradeoffChart(TRADEOFF, steps, samples, parsed, noise.isNumber() ? noise.asDouble() : null,
                noiseLabel, note, dir);
    }
}

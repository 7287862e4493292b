package dev.batchscope.cli.report;

import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code series.csv}: every point of every series, one row each, with all three x values. The service downsamples a
 * series the same way whatever the x axis (by index, from the y values), so the answers for step, samples and
 * seconds line up point by point; where they do not (a run still training between two requests) the other x
 * values are left empty rather than guessed.
 */
final class SeriesCsv {
    static final String FILE = "series.csv";
    static final String HEADER = "run_id,batch_size,seed,learning_rate,metric,step,samples,seconds,epoch,value";
    private static final MathContext SIGNIFICANT = new MathContext(7);
    private static final Set<String> PER_VALIDATION = Set.of("val_loss", "val_accuracy");

    private SeriesCsv() {
    }

    static Path write(ReportData data, SweepFacts facts, Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.newLine();
            for (String metric : ReportData.METRICS) {
                Map<String, RunSeries> samples = byRun(data.series(metric, "samples"));
                Map<String, RunSeries> seconds = byRun(data.series(metric, "seconds"));
                for (RunSeries run : data.series(metric, "step")) {
                    List<double[]> s = aligned(run, samples.get(run.runId()));
                    List<double[]> t = aligned(run, seconds.get(run.runId()));
                    Double stepsPerEpoch = PER_VALIDATION.contains(metric) ? ReportCharts.stepsPerEpoch(run, facts) : null;
                    for (int i = 0; i < run.points().size(); i++) {
                        double[] p = run.points().get(i);
                        out.write(String.join(",", run.runId(), text(run.batchSize()), text(run.seed()),
                                number(run.learningRate()), metric, whole(p[0]),
                                s == null ? "" : whole(s.get(i)[0]), t == null ? "" : number(t.get(i)[0]),
                                stepsPerEpoch == null ? "" : number(p[0] / stepsPerEpoch), number(p[1])));
                        out.newLine();
                    }
                }
            }
        }
        return file;
    }

    /** The other axis's points if they are the same points (same count, same values), else null. */
    private static List<double[]> aligned(RunSeries byStep, RunSeries other) {
        if (other == null || other.points().size() != byStep.points().size()) {
            return null;
        }
        for (int i = 0; i < byStep.points().size(); i++) {
            if (Double.compare(byStep.points().get(i)[1], other.points().get(i)[1]) != 0) {
                return null;
            }
        }
        return other.points();
    }

    private static Map<String, RunSeries> byRun(List<RunSeries> runs) {
        Map<String, RunSeries> map = new HashMap<>();
        runs.forEach(run -> map.put(run.runId(), run));
        return map;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String whole(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : number(value);
    }

    /** Seven significant digits, no trailing zeros, no exponent for the usual ranges. */
    static String number(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "";
        }
        BigDecimal rounded = new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros();
        double abs = Math.abs(value);
        return abs == 0 || (abs >= 1e-6 && abs < 1e15) ? rounded.toPlainString() : rounded.toString();
    }
}

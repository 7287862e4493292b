package dev.batchscope.cli.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/** Draws the report's PNG charts with JFreeChart. Colours follow batch size, so every chart reads the same way. */
public final class ChartRenderer {
    static final int WIDTH = 1000;
    /** Series with at most this many points get a marker at each. */
    static final int SPARSE_POINTS = 60;
    static final int HEIGHT = 600;
    /** Small batches warm, large batches cool: the legend reads as a gradient. */
    static final Color[] PALETTE = {
            new Color(0xd62728), new Color(0xff7f0e), new Color(0xbcbd22), new Color(0x2ca02c),
            new Color(0x17becf), new Color(0x1f77b4), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};
    private static final Color FIT = new Color(0x1f77b4);
    private static final Color MEASURED = new Color(0xd62728);
    private static final Color REFERENCE = new Color(0x444444);
    private static final Color NOISE = new Color(0x9467bd);

    static {
        // charts are drawn off screen: no display is needed (or wanted) on a server or in CI
        System.setProperty("java.awt.headless", "true");
    }

    private ChartRenderer() {
    }

    public static Path lineChart(LineChartSpec spec, Path dir) throws IOException {
        return save(buildLineChart(spec), dir.resolve(spec.fileName()));
    }

    /** The chart of {@link #lineChart}, not yet drawn. */
    static JFreeChart buildLineChart(LineChartSpec spec) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve curve : spec.curves()) {
            XYSeries series = new XYSeries(curve.label(), false, true);
            for (double[] p : curve.points()) {
                if (usable(p[0], spec.logX()) && usable(p[1], spec.logY())) {
                    series.add(p[0], p[1]);
                }
            }
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Map<Integer, Color> colours = coloursByBatchSize(spec.curves());
        for (int i = 0; i < spec.curves().size(); i++) {
            renderer.setSeriesPaint(i, colours.get(spec.curves().get(i).batchSize()));
            renderer.setSeriesStroke(i, new BasicStroke(1.6f));
            // markers only where they help: a series of a few points (one per epoch, a full batch's few steps)
            renderer.setSeriesShapesVisible(i, spec.shapes() && data.getSeries(i).getItemCount() <= SPARSE_POINTS);
        }
        ValueAxis xAxis = axis(spec.xLabel(), spec.logX());
        ValueAxis yAxis = axis(spec.yLabel(), spec.logY());
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        // small batches first, so the smooth curves of large batches stay visible on top of their noisy band
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        style(plot);
        if (spec.integerX() && xAxis instanceof NumberAxis) {
            ((NumberAxis) xAxis).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        for (LineChartSpec.Reference reference : spec.references()) {
            if (usable(reference.value(), spec.logY())) {
                plot.addRangeMarker(marker(reference.label(), reference.value(), REFERENCE, dashed(), false));
                includeInRange(yAxis, reference.value());
            }
        }
        decadeTicks(xAxis);
        decadeTicks(yAxis);
        JFreeChart chart = new JFreeChart(spec.title(), titleFont(), plot, true);
        if (spec.note() != null) {
            chart.addSubtitle(new TextTitle(spec.note(), new Font(Font.SANS_SERIF, Font.ITALIC, 13)));
        }
        return chart;
    }

    /**
     * Steps-to-target and samples-to-target against batch size (log axes): the measured points, the fitted curves
     * S = S_min(1 + B_crit/B) and E = E_min(1 + B/B_crit) over the range of the batch sizes tried, B_crit marked, and
     * the measured gradient noise scale B_simple beside it (McCandlish et al. predict B_crit ≈ B_simple at the target).
     *
     * @param fit        null when there is no fit
     * @param noiseScale B_simple, null when unknown
     * @param noiseLabel what the B_simple marker says, e.g. B_simple at target
     * @param note       a line under the title, null for none
     */
    public static Path tradeoffChart(String fileName, List<double[]> stepsByBatch, List<double[]> samplesByBatch,
                                     Fit fit, Double noiseScale, String noiseLabel, String note, Path dir)
            throws IOException {
        LogAxis batchAxis = new LogAxis("batch size (log scale)");
        batchAxis.setBase(2);
        batchAxis.setSmallestValue(1);
        batchAxis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        // a tick at every power of two
        batchAxis.setTickUnit(new NumberTickUnit(1));
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(batchAxis);
        combined.setGap(12);
        double[] range = batchRange(stepsByBatch, samplesByBatch, fit);
        combined.add(measuredAndFitted("steps to target", "S = S_min(1 + B_crit/B)", stepsByBatch,
                fit == null ? null : b -> fit.sMin() * (1 + fit.bCrit() / b), range), 1);
        combined.add(measuredAndFitted("samples to target", "E = E_min(1 + B/B_crit)", samplesByBatch,
                fit == null ? null : b -> fit.eMin() * (1 + b / fit.bCrit()), range), 1);
        for (Object sub : combined.getSubplots()) {
            XYPlot plot = (XYPlot) sub;
            if (fit != null && Double.isFinite(fit.bCrit()) && fit.bCrit() > 0) {
                plot.addDomainMarker(marker(String.format("B_crit ≈ %,.0f", fit.bCrit()), fit.bCrit(), REFERENCE,
                        dashed(), true));
            }
            if (noiseScale != null && Double.isFinite(noiseScale) && noiseScale > 0) {
                plot.addDomainMarker(marker(String.format("%s ≈ %,.0f", noiseLabel, noiseScale), noiseScale, NOISE,
                        dotted(), true));
            }
        }
        JFreeChart chart = new JFreeChart("Steps and samples to reach the target loss", titleFont(), combined, true);
        if (note != null) {
            chart.addSubtitle(new TextTitle(note, new Font(Font.SANS_SERIF, Font.ITALIC, 13)));
        }
        return save(chart, dir.resolve(fileName));
    }

    /** S_min, E_min and B_crit of the steps/samples fit. */
    public record Fit(double sMin, double eMin, double bCrit) {
    }

    private static XYPlot measuredAndFitted(String label, String fitLabel, List<double[]> measured,
                                            DoubleUnaryOperator curve, double[] range) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries points = new XYSeries(label + " (measured)");
        measured.stream().filter(p -> p[0] > 0 && p[1] > 0 && Double.isFinite(p[1])).forEach(p -> points.add(p[0], p[1]));
        data.addSeries(points);
        XYSeries fit = new XYSeries(fitLabel);
        if (curve != null) {
            double from = Math.log(range[0]) / Math.log(2);
            double to = Math.log(range[1]) / Math.log(2);
            for (int i = 0; i <= 100; i++) {
                double b = Math.pow(2, from + (to - from) * i / 100);
                double y = curve.applyAsDouble(b);
                if (Double.isFinite(y) && y > 0) {
                    fit.add(b, y);
                }
            }
        }
        data.addSeries(fit);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesPaint(0, MEASURED);
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesPaint(1, FIT);
        renderer.setSeriesStroke(1, new BasicStroke(1.8f));
        LogAxis axis = new LogAxis(label + " (log scale)");
        axis.setSmallestValue(1);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0"));
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        style(plot);
        return plot;
    }

    /** From half the smallest batch size (or B_crit) to twice the largest, so the fit spans the points. */
    private static double[] batchRange(List<double[]> steps, List<double[]> samples, Fit fit) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (List<double[]> list : List.of(steps, samples)) {
            for (double[] p : list) {
                if (p[0] > 0) {
                    lo = Math.min(lo, p[0]);
                    hi = Math.max(hi, p[0]);
                }
            }
        }
        if (fit != null && fit.bCrit() > 0 && Double.isFinite(fit.bCrit())) {
            lo = Math.min(lo, fit.bCrit());
            hi = Math.max(hi, fit.bCrit());
        }
        if (hi == 0) {
            return new double[]{1, 1024};
        }
        return new double[]{Math.max(1, lo / 2), hi * 2};
    }

    private static ValueMarker marker(String label, double value, Color colour, Stroke stroke, boolean vertical) {
        ValueMarker marker = new ValueMarker(value, colour, stroke);
        marker.setAlpha(1f);
        marker.setLabel(label);
        marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        marker.setLabelPaint(colour);
        if (vertical) {
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        } else {
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        }
        return marker;
    }

    private static Stroke dashed() {
        return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{6f, 4f}, 0f);
    }

    private static Stroke dotted() {
        return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[]{2f, 3f}, 0f);
    }

    /** The colour of each batch size: the palette in order of size, so the same size has the same colour everywhere. */
    static Map<Integer, Color> coloursByBatchSize(List<Curve> curves) {
        TreeSet<Integer> sizes = new TreeSet<>();
        curves.forEach(c -> sizes.add(c.batchSize()));
        Map<Integer, Color> colours = new HashMap<>();
        int i = 0;
        for (int size : sizes) {
            colours.put(size, PALETTE[i++ % PALETTE.length]);
        }
        return colours;
    }

    private static ValueAxis axis(String label, boolean log) {
        if (log) {
            LogAxis axis = new LogAxis(label + " (log scale)");
            axis.setSmallestValue(1e-6);
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** Widens the axis so that a reference line (the target loss, B_crit) is on the chart, not just past its edge. */
    private static void includeInRange(ValueAxis axis, double value) {
        if (value >= axis.getLowerBound() && value <= axis.getUpperBound()) {
            return;
        }
        double margin = axis instanceof LogAxis ? value * 0.25 : (axis.getUpperBound() - axis.getLowerBound()) * 0.05;
        axis.setRange(Math.min(axis.getLowerBound(), value - margin), Math.max(axis.getUpperBound(), value + margin));
    }

    /** A tick per decade on a log axis that spans two or more; narrower ones keep JFreeChart's finer ticks. */
    private static void decadeTicks(ValueAxis axis) {
        if (axis instanceof LogAxis) {
            LogAxis log = (LogAxis) axis;
            double lower = Math.max(log.getSmallestValue(), log.getLowerBound());
            if (log.getUpperBound() / lower >= 100) {
                log.setTickUnit(new NumberTickUnit(1));
            }
        }
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
    }

    private static boolean usable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    private static Font titleFont() {
        return new Font(Font.SANS_SERIF, Font.BOLD, 18);
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}

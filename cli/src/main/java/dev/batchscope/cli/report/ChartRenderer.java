package dev.batchscope.cli.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/** Draws the report's PNG charts with JFreeChart. Colours follow batch size, so every chart reads the same way. */
public final class ChartRenderer {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;
    /** Small batches warm, large batches cool: the legend reads as a gradient. */
    private static final Color[] PALETTE = {
            new Color(0xd62728), new Color(0xff7f0e), new Color(0xbcbd22), new Color(0x2ca02c),
            new Color(0x17becf), new Color(0x1f77b4), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};

    private ChartRenderer() {
    }

    public static Path lineChart(LineChartSpec spec, Path dir) throws IOException {
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
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        XYPlot plot = new XYPlot(data, axis(spec.xLabel(), spec.logX()), axis(spec.yLabel(), spec.logY()), renderer);
        style(plot);
        return save(new JFreeChart(spec.title(), titleFont(), plot, true), dir.resolve(spec.fileName()));
    }

    /**
     * Steps-to-target and samples-to-target against batch size (log axes), the measured points with the fitted
     * curves S = S_min(1 + B_crit/B) and E = E_min(1 + B/B_crit), and B_crit marked.
     */
    public static Path tradeoffChart(String fileName, List<double[]> stepsByBatch, List<double[]> samplesByBatch,
                                     Double sMin, Double eMin, Double bCrit, Path dir) throws IOException {
        LogAxis batchAxis = new LogAxis("batch size");
        batchAxis.setBase(2);
        batchAxis.setSmallestValue(1);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(batchAxis);
        combined.add(measuredAndFitted("steps to target", stepsByBatch,
                fitted(sMin, bCrit, b -> sMin * (1 + bCrit / b))), 1);
        combined.add(measuredAndFitted("samples to target", samplesByBatch,
                fitted(eMin, bCrit, b -> eMin * (1 + b / bCrit))), 1);
        if (bCrit != null && Double.isFinite(bCrit) && bCrit > 0) {
            for (Object sub : combined.getSubplots()) {
                ValueMarker marker = new ValueMarker(bCrit, Color.DARK_GRAY, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
                        BasicStroke.JOIN_MITER, 1f, new float[]{6f, 4f}, 0f));
                marker.setLabel(String.format("B_crit = %.0f", bCrit));
                marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                ((XYPlot) sub).addDomainMarker(marker);
            }
        }
        return save(new JFreeChart("Steps and samples to reach the target loss", titleFont(), combined, true),
                dir.resolve(fileName));
    }

    private static XYPlot measuredAndFitted(String label, List<double[]> measured, XYSeries fit) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries points = new XYSeries(label + " (measured)");
        measured.stream().filter(p -> p[0] > 0 && p[1] > 0 && Double.isFinite(p[1])).forEach(p -> points.add(p[0], p[1]));
        data.addSeries(points);
        data.addSeries(fit);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesShapesVisible(0, true);
        renderer.setSeriesPaint(0, PALETTE[0]);
        renderer.setSeriesLinesVisible(1, true);
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesPaint(1, PALETTE[5]);
        XYPlot plot = new XYPlot(data, null, axis(label, true), renderer);
        style(plot);
        return plot;
    }

    private static XYSeries fitted(Double scale, Double bCrit, DoubleUnaryOperator curve) {
        XYSeries fit = new XYSeries("fit");
        if (scale == null || bCrit == null || !Double.isFinite(scale) || !Double.isFinite(bCrit) || bCrit <= 0) {
            return fit;
        }
        for (double log2b = 0; log2b <= 20; log2b += 0.25) {
            fit.add(Math.pow(2, log2b), curve.applyAsDouble(Math.pow(2, log2b)));
        }
        return fit;
    }

    private static Map<Integer, Color> coloursByBatchSize(List<Curve> curves) {
        TreeSet<Integer> sizes = new TreeSet<>();
        curves.forEach(c -> sizes.add(c.batchSize()));
        Map<Integer, Color> colours = new java.util.HashMap<>();
        int i = 0;
        for (int size : sizes) {
            colours.put(size, PALETTE[i++ % PALETTE.length]);
        }
        return colours;
    }

    private static ValueAxis axis(String label, boolean log) {
        if (log) {
            LogAxis axis = new LogAxis(label);
            axis.setSmallestValue(1e-6);
            return axis;
        }
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        return axis;
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

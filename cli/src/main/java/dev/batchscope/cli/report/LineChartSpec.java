package dev.batchscope.cli.report;

import java.util.List;

/**
 * A line chart to draw: title, axis labels, log axes, one curve per run, and horizontal reference lines.
 *
 * @param shapes     draw a marker at every point of a series that has few points (one per epoch, a full batch's steps)
 * @param integerX   ticks only at whole numbers on the x axis (epochs)
 * @param references horizontal lines such as the target loss
 * @param note       a line under the title, e.g. why the chart is empty; null for none
 */
public record LineChartSpec(String fileName, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                            List<Curve> curves, boolean shapes, boolean integerX, List<Reference> references,
                            String note) {

    public LineChartSpec {
        curves = List.copyOf(curves);
        references = List.copyOf(references);
    }

    public LineChartSpec(String fileName, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                         List<Curve> curves) {
        this(fileName, title, xLabel, yLabel, logX, logY, curves, false, false, List.of(), null);
    }

    /** A horizontal line at {@code value}, labelled. */
    public record Reference(String label, double value) {
    }
}

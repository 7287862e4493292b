package dev.batchscope.cli.report;

import java.util.List;

/** A line chart to draw: title, axis labels, log axes, and one curve per run. */
public record LineChartSpec(String fileName, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                            List<Curve> curves) {
}

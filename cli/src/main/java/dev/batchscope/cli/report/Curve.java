package dev.batchscope.cli.report;

import java.util.List;

/**
 * One line of a chart: a run (or a batch size) with its points.
 *
 * @param label     legend text, e.g. "B=64 seed 1"
 * @param batchSize the effective batch size, which picks the line's colour so every chart agrees
 */
public record Curve(String label, int batchSize, List<double[]> points) {
}

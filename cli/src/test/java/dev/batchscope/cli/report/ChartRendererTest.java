package dev.batchscope.cli.report;

import org.jfree.chart.JFreeChart;
import dev.batchscope.testing.machine.MachineRequirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartRendererTest {

    @BeforeAll
    static void fontsForTheCharts() {
        MachineRequirements.require("fonts");
    }

    @Test
    void aChartWithoutPointsIsToldApartFromOneWithData(@TempDir Path dir) throws IOException {
        List<Curve> empty = List.of(new Curve("B=16", 16, List.of()), new Curve("B=64", 64, List.of()));
        Path blank = ChartRenderer.lineChart(new LineChartSpec("empty.png", "Nothing yet", "iterations", "loss",
                false, false, empty), dir);
        assertThrows(AssertionError.class, () -> Png.read(blank).assertNotBlank(), "axes and a legend are no data");

        Path drawn = ChartRenderer.lineChart(new LineChartSpec("drawn.png", "Loss", "iterations", "loss", true, false,
                List.of(curve("B=16", 16, 400, 2.3), curve("B=64", 64, 100, 2.0))), dir);
        Png png = Png.read(drawn);
        png.assertNotBlank();
        assertTrue(png.pixelsOf(ChartRenderer.PALETTE[0]) > 150 && png.pixelsOf(ChartRenderer.PALETTE[1]) > 150,
                "each batch size in its own colour");
    }

    @Test
    void aReferenceLineOutsideTheDataWidensTheAxisToShowIt() {
        List<Curve> curves = List.of(curve("B=32", 32, 200, 2.0));
        JFreeChart without = ChartRenderer.buildLineChart(new LineChartSpec("a.png", "t", "x", "y", false, false, curves));
        JFreeChart with = ChartRenderer.buildLineChart(new LineChartSpec("b.png", "t", "x", "y", false, false, curves,
                false, false, List.of(new LineChartSpec.Reference("target loss 0.1", 0.1)), null));
        assertFalse(without.getXYPlot().getRangeAxis().getRange().contains(0.1), "the data alone stays above 0.6");
        assertTrue(with.getXYPlot().getRangeAxis().getRange().contains(0.1), "the target loss is on the chart");
        assertEquals(1, with.getXYPlot().getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND).size());
    }

    @Test
    void theTradeoffChartDrawsMeasuredPointsTheFitAndBothMarkers(@TempDir Path dir) throws IOException {
        List<double[]> steps = List.of(new double[]{16, 455}, new double[]{32, 412}, new double[]{64, 332},
                new double[]{128, 296}, new double[]{256, 266});
        List<double[]> samples = new ArrayList<>();
        steps.forEach(p -> samples.add(new double[]{p[0], p[0] * p[1]}));
        Path chart = ChartRenderer.tradeoffChart("t.png", steps, samples, new ChartRenderer.Fit(268, 3407, 12.7),
                171.0, "B_simple at target", "5 of 6 batch sizes reached the target loss 0.5", dir);
        Png png = Png.read(chart);
        png.assertNotBlank();
        assertTrue(png.pixelsOf(new java.awt.Color(0x9467bd)) > 50, "the B_simple marker");
    }

    private static Curve curve(String label, int batch, int n, double start) {
        List<double[]> points = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            points.add(new double[]{i, start * Math.exp(-i / (double) n) + 0.05 * Math.sin(i)});
        }
        return new Curve(label, batch, points);
    }
}

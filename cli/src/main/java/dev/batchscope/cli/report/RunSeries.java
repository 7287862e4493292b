package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One run's points of one metric against one x axis, as the metrics-service's series endpoint serves them.
 *
 * @param batchSize the effective batch size (null until a trainer reported it)
 * @param points    [x, y] pairs in x order
 */
public record RunSeries(String runId, Integer batchSize, Long seed, Double learningRate, String state,
                        List<double[]> points) {

    /** The runs of a {@code GET .../series} answer. */
    static List<RunSeries> parse(JsonNode answer) {
        List<RunSeries> runs = new ArrayList<>();
        for (JsonNode run : answer.path("series")) {
            List<double[]> points = new ArrayList<>();
            for (JsonNode point : run.path("points")) {
                if (point.size() >= 2 && point.get(0).isNumber() && point.get(1).isNumber()) {
                    points.add(new double[]{point.get(0).asDouble(), point.get(1).asDouble()});
                }
            }
            runs.add(new RunSeries(run.path("runId").asText(),
                    run.path("batchSize").isNumber() ? run.path("batchSize").asInt() : null,
                    run.path("seed").isNumber() ? run.path("seed").asLong() : null,
                    run.path("learningRate").isNumber() ? run.path("learningRate").asDouble() : null,
                    run.path("state").isTextual() ? run.path("state").asText() : null, List.copyOf(points)));
        }
        return runs;
    }
}

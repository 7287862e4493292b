package dev.batchscope.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A textbook sweep as the services served it, recorded from a real local stack (Fashion-MNIST, 12,000 images, MLP
 * 256-128, batch sizes 16 to 256 and full, lr 0.1 for all, 10 epochs, target loss 0.5): the metrics-service's summary
 * and its series (points=60) for every metric and x axis, and the scheduler's sweep. In src/test/resources/report/.
 */
final class RecordedSweep {
    static final String SWEEP_ID = "sw-01m8czp0yeqf9e59";

    private RecordedSweep() {
    }

    static ReportData textbook() {
        return textbook(true);
    }

    /** @param withScheduler false: as if the scheduler could not be asked */
    static ReportData textbook(boolean withScheduler) {
        Map<String, JsonNode> series = new HashMap<>();
        for (String metric : ReportData.METRICS) {
            for (String x : ReportData.AXES) {
                series.put(ReportData.key(metric, x), read("series-" + metric + "-" + x + ".json"));
            }
        }
        return ReportData.of(SWEEP_ID, read("summary.json"), withScheduler ? read("sweep.json") : null, series);
    }

    static JsonNode read(String name) {
        try (InputStream in = RecordedSweep.class.getResourceAsStream("/report/textbook/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource report/textbook/" + name);
            }
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

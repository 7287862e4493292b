package dev.batchscope.events.prometheus;

import dev.batchscope.events.spec.RunState;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportedMetricTest {

    /** Prometheus naming: one name per metric, a unit suffix only where Micrometer adds it, no rate gauges. */
    @Test
    void namesFollowPrometheusConventions() {
        Set<String> names = new HashSet<>();
        for (ExportedMetric metric : ExportedMetric.values()) {
            String name = metric.prometheusName();
            assertTrue(names.add(name), "two metrics named " + name);
            assertTrue(name.matches("batchscope_[a-z0-9_]+"), name);
            assertFalse(metric.meterName().endsWith(".total"), metric + ": Micrometer appends _total to counters");
            assertFalse(name.contains("per_second"), metric + ": a rate is rate() of a counter");
            assertTrue(metric.labels().stream().allMatch(l -> l.matches("[a-z_]+")), metric.labels().toString());
            assertFalse(metric.services().isEmpty(), metric + " is exported by no service");
        }
        assertEquals("batchscope_iterations_total", ExportedMetric.ITERATIONS.prometheusSeries().get(0));
        assertEquals("batchscope_validation_accuracy_ratio", ExportedMetric.VALIDATION_ACCURACY.prometheusName());
        assertEquals("batchscope_event_delay_seconds_bucket", ExportedMetric.EVENT_DELAY.prometheusSeries().get(0));
    }

    @Test
    void seriesAndTypeLinesLeadBackToTheirMetric() {
        assertSame(ExportedMetric.SAMPLES_SEEN, ExportedMetric.ofSeries("batchscope_samples_seen_total"));
        assertSame(ExportedMetric.EVENT_DELAY, ExportedMetric.ofPrometheusName("batchscope_event_delay_seconds_max"));
        assertEquals(null, ExportedMetric.ofSeries("batchscope_samples_per_second"));
    }

    @Test
    void stateLabelsAreLowerCase() {
        assertEquals("running", ExportedMetric.stateLabel(RunState.RUNNING));
        for (RunState state : RunState.values()) {
            assertEquals(state.name().toLowerCase(java.util.Locale.ROOT), ExportedMetric.stateLabel(state));
        }
    }
}

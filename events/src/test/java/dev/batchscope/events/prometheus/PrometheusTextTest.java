package dev.batchscope.events.prometheus;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrometheusTextTest {
    /** Lines as Micrometer's Prometheus registry writes them on the services' /q/metrics. */
    private static final String PAGE = """
            # HELP batchscope_trainer_events_sent_total Events Kafka acknowledged
            # TYPE batchscope_trainer_events_sent_total counter
            batchscope_trainer_events_sent_total{type="IterationMetrics"} 1000.0
            batchscope_trainer_events_sent_total{type="RunStatusChanged"} 2.0
            # TYPE batchscope_train_loss gauge
            batchscope_train_loss{sweep="s-1",run="s-1-r0",model="mlp \\"x\\", y"} 0.25
            batchscope_sweep_steps_to_target{batch_size="16",sweep="s-1",} 120.0
            batchscope_event_delay_seconds_bucket{le="+Inf",} 7.0
            kafka_consumer_fetch_manager_records_lag{client_id="kafka-consumer-metrics-0",partition="1"} NaN
            kafka_consumer_fetch_manager_records_lag{client_id="kafka-consumer-metrics-1",partition="2"} 17.0
            process_uptime_seconds 12.5 1700000000000
            batchscope_tracked_runs +Inf
            """;

    private final PrometheusText text = PrometheusText.parse(PAGE);

    @Test
    void sumsAndMaximaAddUpTheSeriesWhoseLabelsMatch() {
        assertEquals(1002.0, text.sum("batchscope_trainer_events_sent_total", PrometheusText.any()));
        assertEquals(1000.0, text.sum("batchscope_trainer_events_sent_total",
                PrometheusText.label("type", "IterationMetrics")));
        assertEquals(17.0, text.max("kafka_consumer_fetch_manager_records_lag", PrometheusText.any()), "NaN skipped");
        assertEquals(0.0, text.sum("absent_total", PrometheusText.any()));
        assertEquals(0.0, text.max("absent", PrometheusText.any()));
    }

    @Test
    void aSeriesIsFoundByNameAndExactLabelsInAnyOrder() {
        assertEquals(120.0, text.value("batchscope_sweep_steps_to_target", "sweep", "s-1", "batch_size", "16"));
        assertEquals(120.0, text.value("batchscope_sweep_steps_to_target", Map.of("batch_size", "16", "sweep", "s-1")));
        assertEquals(Double.POSITIVE_INFINITY, text.value("batchscope_tracked_runs"));
        assertEquals(7.0, text.value("batchscope_event_delay_seconds_bucket", "le", "+Inf"));
        assertNull(text.value("batchscope_sweep_steps_to_target", "sweep", "s-1"), "a subset of the labels is no match");
        assertNull(text.value("absent"));
        assertThrows(IllegalArgumentException.class, () -> text.value("batchscope_train_loss", "sweep"));
    }

    @Test
    void seriesKeysHaveSortedUnescapedLabelsAndNoBracesWithoutLabels() {
        assertEquals(Map.of("batchscope_train_loss{model=\"mlp \"x\", y\",run=\"s-1-r0\",sweep=\"s-1\"}", 0.25),
                text.series(s -> s.name().equals("batchscope_train_loss")));
        assertEquals(12.5, text.series().get("process_uptime_seconds"), "the timestamp after the value is ignored");
        assertEquals(9, text.series().size());
        assertEquals("batchscope_sweep_steps_to_target{batch_size=\"16\",sweep=\"s-1\"}",
                PrometheusText.series("batchscope_sweep_steps_to_target", Map.of("sweep", "s-1", "batch_size", "16")));
        assertTrue(text.samples().stream().anyMatch(s -> s.name().equals("process_uptime_seconds") && s.value() == 12.5));
    }

    @Test
    void samplesOfANameCanBeFilteredByLabel() {
        assertEquals(1, text.samples("batchscope_train_loss", PrometheusText.label("sweep", "s-1")).size());
        assertTrue(text.samples("batchscope_train_loss", PrometheusText.label("sweep", "s-2")).isEmpty());
        assertEquals("mlp \"x\", y", text.samples("batchscope_train_loss", PrometheusText.any()).get(0).labels().get("model"));
    }

    @Test
    void typeLinesGiveEachMetricsType() {
        assertEquals("counter", text.type("batchscope_trainer_events_sent_total"));
        assertEquals("gauge", text.type("batchscope_train_loss"));
        assertNull(text.type("process_uptime_seconds"));
    }

    @Test
    void escapedNewlinesAndBackslashesInLabelValuesAreUnescaped() {
        PrometheusText escaped = PrometheusText.parse("m{a=\"one\\ntwo\",b=\"c:\\\\dir\"} 1\n");
        assertEquals(Map.of("a", "one\ntwo", "b", "c:\\dir"), escaped.samples().get(0).labels());
    }

    @Test
    void aLineThatIsNotASampleIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse("batchscope_tracked_runs\n"));
        assertTrue(e.getMessage().contains("batchscope_tracked_runs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m{a=\"1\"} many\n"));
        assertTrue(PrometheusText.parse("").samples().isEmpty());
    }
}

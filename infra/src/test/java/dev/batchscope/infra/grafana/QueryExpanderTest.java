package dev.batchscope.infra.grafana;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryExpanderTest {
    @Test
    void everyVariableSyntaxGrafanaAcceptsIsReplaced() {
        QueryExpander expander = new QueryExpander().set("sweep", "sw-1");
        assertEquals("x{sweep=\"sw-1\"} + y{sweep=\"sw-1\"} + z{sweep=\"sw-1\"} + w{sweep=\"sw-1\"}",
                expander.expand("x{sweep=\"$sweep\"} + y{sweep=\"${sweep}\"} + z{sweep=\"[[sweep]]\"}"
                        + " + w{sweep=\"${sweep:raw}\"}"));
    }

    @Test
    void rateIntervalIsFourScrapeIntervalsAsGrafanaBoundsIt() {
        QueryExpander expander = QueryExpander.forScrapeInterval("15s", "1h");
        assertEquals("rate(x[60s]) / 15s over 1h (3600)",
                expander.expand("rate(x[$__rate_interval]) / $__interval over $__range ($__range_s)"));
    }

    @Test
    void severalValuesBecomeARegexAlternationWithEachValueEscaped() {
        QueryExpander expander = new QueryExpander().setAll("job", List.of("metrics-service", "a.b"));
        assertEquals("up{job=~\"(metrics-service|a\\\\.b)\"}", expander.expand("up{job=~\"$job\"}"));
    }

    @Test
    void aVariableWithoutValueIsAnErrorNotLeftInTheQuery() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new QueryExpander().set("sweep", "s").expand("x{run=\"$run\"}"));
        assertTrue(error.getMessage().contains("$run"), error.getMessage());
    }

    @Test
    void aDollarAtTheEndOfARegexIsNotAVariable() {
        assertEquals("x{run=~\"a.*$\"}", new QueryExpander().expand("x{run=~\"a.*$\"}"));
    }

    @Test
    void labelValuesQueriesSplitIntoSelectorAndLabel() {
        QueryExpander.LabelValuesQuery query = QueryExpander.parseLabelValues(
                "label_values(batchscope_run_state{model=\"mlp\"}, sweep)");
        assertEquals("batchscope_run_state{model=\"mlp\"}", query.selector());
        assertEquals("sweep", query.label());
        assertThrows(IllegalArgumentException.class, () -> QueryExpander.parseLabelValues("query_result(up)"));
    }

    @Test
    void perBatchSizeMeansTheOutermostAggregationKeepsOnlyBatchSize() {
        assertTrue(query("avg by (batch_size) (batchscope_train_loss{sweep=\"$sweep\"})").perBatchSize());
        assertTrue(query("max by(batch_size)(x)").perBatchSize());
        assertFalse(query("max by (run, batch_size) (x)").perBatchSize());
        assertFalse(query("max by (sweep) (batchscope_sweep_critical_batch_size)").perBatchSize());
    }

    private static Dashboard.Query query(String expr) {
        return new Dashboard.Query("uid", 1, "title", "A", expr, false);
    }
}

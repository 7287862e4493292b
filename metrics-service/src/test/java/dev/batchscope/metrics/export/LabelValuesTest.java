package dev.batchscope.metrics.export;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LabelValuesTest {

    @Test
    void keepsIdsAsTheyAre() {
        assertEquals("sw-textbook", LabelValues.sanitize("sw-textbook"));
        assertEquals("mlp-256-128", LabelValues.sanitize("mlp-256-128"));
        assertEquals("synthetic-blobs", LabelValues.sanitize("synthetic-blobs"));
    }

    @Test
    void replacesWhatPrometheusToolsMisreadAndBoundsTheLength() {
        assertEquals("a_b__c__d_", LabelValues.sanitize("a b\"{c}\nd\\"));
        assertEquals("unknown", LabelValues.sanitize(null));
        assertEquals("unknown", LabelValues.sanitize(""));
        assertEquals(64, LabelValues.sanitize("x".repeat(500)).length());
    }

    @Test
    void numbersAreShortPlainAndStable() {
        assertEquals("0.1", LabelValues.number(0.1));
        assertEquals("0.1414", LabelValues.number(0.1 * Math.sqrt(2)));
        assertEquals("0.00003", LabelValues.number(3e-5));
        assertEquals("2", LabelValues.number(2.0));
        assertEquals("unknown", LabelValues.number(null));
        assertEquals("unknown", LabelValues.number(Double.NaN));
    }
}

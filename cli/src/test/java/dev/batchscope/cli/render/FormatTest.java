package dev.batchscope.cli.render;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatTest {
    @Test
    void progressBarFillsInProportionAndCountsWithoutABudget() {
        assertEquals("[##########..........] 50/100", Format.progress(50L, 100L));
        assertEquals("[####################] 120/100", Format.progress(120L, 100L));
        assertEquals("[....................] 0/100", Format.progress(null, 100L));
        assertEquals("[????????????????????] 7", Format.progress(7L, null));
    }

    @Test
    void numbersKeepAboutFourSignificantDigits() {
        assertEquals("0.4123", Format.number(0.41234));
        assertEquals("2.303", Format.number(2.302585));
        assertEquals("15234", Format.number(15234.4));
        assertEquals("1.20e-05", Format.number(0.000012));
        assertEquals("-", Format.number(null));
    }

    @Test
    void tableColumnsAreAsWideAsTheirWidestCell() {
        String table = new Table("RUN", "STATE").row("r0", "QUEUED").row("r10", null).toString();
        assertEquals("RUN  STATE\nr0   QUEUED\nr10  -".replace("\n", System.lineSeparator()), table);
    }
}

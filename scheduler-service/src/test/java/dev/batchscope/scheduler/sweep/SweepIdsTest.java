package dev.batchscope.scheduler.sweep;

import dev.batchscope.events.validation.SpecValidator;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepIdsTest {
    @Test
    void idsSortByCreationTimeAndAreValidNames() {
        String earlier = SweepIds.sweepId(Instant.parse("2026-11-26T10:00:00.000Z"));
        String later = SweepIds.sweepId(Instant.parse("2026-11-26T10:00:00.001Z"));
        String muchLater = SweepIds.sweepId(Instant.parse("2099-01-01T00:00:00Z"));
        assertTrue(earlier.compareTo(later) < 0, earlier + " < " + later);
        assertTrue(later.compareTo(muchLater) < 0);
        String lastRun = SweepIds.runId(muchLater, 999);
        assertTrue(SpecValidator.NAME.matcher(earlier).matches(), earlier);
        assertTrue(SpecValidator.NAME.matcher(lastRun).matches(), lastRun);
        assertTrue(earlier.matches("sw-[0-9a-z]{16}"), earlier);
    }
}

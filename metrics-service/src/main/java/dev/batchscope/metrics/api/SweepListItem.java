package dev.batchscope.metrics.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code GET /api/v1/sweeps}.
 *
 * @param runCount  runs the sweep has, as the scheduler said (null when no status event was seen)
 * @param runs      runs known here
 * @param states    runs per state
 * @param complete  whether this replica holds every run of the sweep with its metrics
 */
public record SweepListItem(String sweepId, String name, Instant createdAt, Integer runCount, int runs,
                            Map<String, Integer> states, List<Integer> batchSizes, boolean complete) {
}

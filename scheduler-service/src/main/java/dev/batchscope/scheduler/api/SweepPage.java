package dev.batchscope.scheduler.api;

import java.util.List;

/** One page of sweeps, newest first; {@code total} counts every sweep. */
public record SweepPage(List<SweepSummaryView> items, int page, int size, int total) {
}

package dev.batchscope.events;

import java.time.Instant;

/**
 * What a run knows of its sweep. It travels with the run request and every status event,
 * so that a service reading the compacted status topic can rebuild whole sweeps from it.
 *
 * @param name           the sweep's name
 * @param createdAt      when the scheduler accepted the sweep
 * @param runCount       how many runs the sweep has
 * @param runIndex       this run's position in the sweep (0-based)
 * @param idempotencyKey the key the sweep was submitted with, if any
 */
public record SweepRef(String name, Instant createdAt, Integer runCount, Integer runIndex, String idempotencyKey) {
}

package dev.batchscope.events;

import dev.batchscope.events.spec.Protocol;
import dev.batchscope.events.spec.PruningSpec;

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
 * @param protocol       the sweep's protocol; null on records written before there were protocols (read: fixed)
 * @param pruning        the sweep's pruning rule, so that a restarted scheduler can go on pruning; null: none
 */
public record SweepRef(String name, Instant createdAt, Integer runCount, Integer runIndex, String idempotencyKey,
                       Protocol protocol, PruningSpec pruning) {
}

package dev.batchscope.metrics.aggregation;

import dev.batchscope.events.Event;

/**
 * One record handed to the aggregator.
 *
 * @param generation the consumer-group generation the record was polled in
 * @param key        the record key (the runId)
 * @param event      null for a tombstone (a null value that is not a failed read)
 * @param live       the record was produced after this replica took the partition over (not part of a replay), so
 *                   its emit-to-applied delay is worth measuring
 */
public record IncomingEvent(int partition, long offset, int generation, String key, Event event, boolean live) {
}

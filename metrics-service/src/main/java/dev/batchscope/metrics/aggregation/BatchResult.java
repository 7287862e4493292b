package dev.batchscope.metrics.aggregation;

import dev.batchscope.metrics.export.DeadLetterReason;

import java.util.List;

/** What the aggregator refused in a batch and the consumer should dead-letter. */
public record BatchResult(List<Rejection> rejections) {
    public static final BatchResult NONE = new BatchResult(List.of());

    /**
     * @param index  position of the record in the batch handed over
     * @param kind   the reason label it is counted under
     * @param reason why, for the DLQ's dead-letter-reason header
     */
    public record Rejection(int index, DeadLetterReason kind, String reason) {
    }
}

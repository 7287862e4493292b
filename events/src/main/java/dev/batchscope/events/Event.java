package dev.batchscope.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * Every event on a batchscope topic. The JSON form carries {@code type} (the record's simple name),
 * {@code schemaVersion}, {@code runId}, {@code sweepId} and {@code emittedAt}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RunRequested.class, name = "RunRequested"),
        @JsonSubTypes.Type(value = RunStatusChanged.class, name = "RunStatusChanged"),
        @JsonSubTypes.Type(value = IterationMetrics.class, name = "IterationMetrics"),
        @JsonSubTypes.Type(value = EpochMetrics.class, name = "EpochMetrics"),
        @JsonSubTypes.Type(value = RunCancelled.class, name = "RunCancelled"),
        @JsonSubTypes.Type(value = RunStepCap.class, name = "RunStepCap")
})
public sealed interface Event
        permits RunRequested, RunStatusChanged, IterationMetrics, EpochMetrics, RunCancelled, RunStepCap {
    /** The version this code writes and reads. */
    int SCHEMA_VERSION = 1;

    Integer schemaVersion();

    String runId();

    String sweepId();

    Instant emittedAt();

    /** The wire name of this event's type, as in the JSON {@code type} field. */
    @JsonIgnore
    default String type() {
        return getClass().getSimpleName();
    }
}

package dev.batchscope.events;

import java.time.Instant;

/** The scheduler asks every trainer to stop a run. */
public record RunCancelled(Integer schemaVersion, String runId, String sweepId, Instant emittedAt, String reason)
        implements Event {

    public static RunCancelled of(String runId, String sweepId, String reason) {
        return new RunCancelled(SCHEMA_VERSION, runId, sweepId, Instant.now(), reason);
    }
}

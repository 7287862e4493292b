package dev.batchscope.events;

import dev.batchscope.events.spec.RunSpec;

import java.time.Instant;

/** The scheduler asks for one run to be trained. */
public record RunRequested(Integer schemaVersion, String runId, String sweepId, Instant emittedAt,
                           RunSpec run, SweepRef sweep) implements Event {

    public static RunRequested of(String runId, String sweepId, RunSpec run, SweepRef sweep) {
        return new RunRequested(SCHEMA_VERSION, runId, sweepId, Instant.now(), run, sweep);
    }
}

package dev.batchscope.scheduler.state;

/**
 * Where a status event was read: its partition and offset on {@code batchscope.runs.status}.
 * Every event of one run is keyed by its runId and so lives on one partition, where the offset orders it.
 * {@link #LOCAL} marks a change the scheduler made itself and has not read back yet.
 */
public record StatusPosition(int partition, long offset) {
    public static final StatusPosition LOCAL = new StatusPosition(-1, -1);

    public boolean isLocal() {
        return offset < 0;
    }

    /** True when both were read from the same partition and this one is not later than {@code other}. */
    public boolean notAfter(StatusPosition other) {
        return !isLocal() && other != null && !other.isLocal() && partition == other.partition && offset <= other.offset;
    }
}

package dev.batchscope.cli;

/** Exit codes of every batchscope command (docs/design.md#10-cli-and-exit-codes, contract). */
public final class ExitCodes {
    /** Done; for a watched sweep, every run succeeded. */
    public static final int OK = 0;
    /** The sweep failed: a run failed or was cancelled. */
    public static final int SWEEP_FAILED = 1;
    /** Bad usage or input: a flag, a file, a spec the server refused, a missing token. */
    public static final int USAGE = 2;
    /** A service could not be reached or could not serve the request. */
    public static final int UNREACHABLE = 3;
    /** An unexpected error in the CLI itself: a bug, which a script should not mistake for a failed sweep. */
    public static final int INTERNAL = 4;

    private ExitCodes() {
    }
}

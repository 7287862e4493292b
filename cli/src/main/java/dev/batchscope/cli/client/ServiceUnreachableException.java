package dev.batchscope.cli.client;

import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;

/**
 * A service that did not answer (exit code 3). Whether a retry can help is a field, decided where the I/O error was
 * seen, so no caller reads it out of the message.
 */
public final class ServiceUnreachableException extends CliException {
    private final boolean refused;

    ServiceUnreachableException(String message, boolean refused) {
        super(ExitCodes.UNREACHABLE, message);
        this.refused = refused;
    }

    /** Nothing listens at the address: the service is not running, and retrying the same request will not start it. */
    public boolean connectionRefused() {
        return refused;
    }
}

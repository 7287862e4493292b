package dev.batchscope.cli.stack;

import dev.batchscope.cli.CliException;
import dev.batchscope.cli.ExitCodes;

/** The local stack could not be started or stopped; the message says why and where to look (exit 3). */
public class StackException extends CliException {
    public StackException(String message) {
        super(ExitCodes.UNREACHABLE, message);
    }
}

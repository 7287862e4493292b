package dev.batchscope.cli.stack;

/** The local stack could not be started or stopped; the message says why and where to look. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }
}

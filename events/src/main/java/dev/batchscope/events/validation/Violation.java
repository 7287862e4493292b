package dev.batchscope.events.validation;

/**
 * One thing wrong with an input.
 *
 * @param field   the offending field as a path ("run.batchSize", "batchSizes[2]"); "(body)" for the whole input
 * @param message what is wrong and what is allowed
 */
public record Violation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}

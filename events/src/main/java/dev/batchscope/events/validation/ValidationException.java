package dev.batchscope.events.validation;

import java.util.List;
import java.util.stream.Collectors;

/** An input broke one or more rules; every violation is reported, not only the first. */
public class ValidationException extends RuntimeException {
    private final List<Violation> violations;

    public ValidationException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public ValidationException(String field, String message) {
        this(List.of(new Violation(field, message)));
    }

    public List<Violation> violations() {
        return violations;
    }
}

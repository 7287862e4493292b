package dev.batchscope.events.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Collects violations under a field path; {@link #throwIfAny()} reports them all at once. */
public final class Violations {
    private final List<Violation> found;
    private final String prefix;

    public Violations() {
        this(new ArrayList<>(), "");
    }

    private Violations(List<Violation> found, String prefix) {
        this.found = found;
        this.prefix = prefix;
    }

    /** The same collector, with field names below {@code field}. */
    public Violations at(String field) {
        return new Violations(found, path(field));
    }

    public void add(String field, String message) {
        found.add(new Violation(path(field), message));
    }

    /** Adds a violation unless {@code ok}. */
    public boolean check(boolean ok, String field, String message) {
        if (!ok) {
            add(field, message);
        }
        return ok;
    }

    public boolean required(Object value, String field) {
        return check(value != null, field, "is required");
    }

    // Every consumed event runs these checks on every field: build the message only when a check fails.
    public void intRange(Number value, String field, long min, long max) {
        if (required(value, field)) {
            long v = value.longValue();
            if (v < min || v > max) {
                add(field, "must be between " + min + " and " + max + ", got " + v);
            }
        }
    }

    public void optionalIntRange(Number value, String field, long min, long max) {
        if (value != null) {
            intRange(value, field, min, max);
        }
    }

    /** A finite number in [min, max]; returns whether it is one. */
    public boolean finite(Double value, String field, double min, double max) {
        if (!required(value, field)) {
            return false;
        }
        if (!Double.isFinite(value)) {
            add(field, "must be a finite number, got " + value);
            return false;
        }
        if (value < min || value > max) {
            add(field, "must be between " + min + " and " + max + ", got " + value);
            return false;
        }
        return true;
    }

    public void optionalFinite(Double value, String field, double min, double max) {
        if (value != null) {
            finite(value, field, min, max);
        }
    }

    public void matches(String value, String field, Pattern pattern, String allowed) {
        if (required(value, field) && !pattern.matcher(value).matches()) {
            add(field, "must be " + allowed);
        }
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Violation> list() {
        return List.copyOf(found);
    }

    public void addAll(Collection<Violation> more) {
        more.forEach(v -> found.add(new Violation(path(v.field()), v.message())));
    }

    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ValidationException(found);
        }
    }

    private String path(String field) {
        if (prefix.isEmpty()) {
            return field;
        }
        return field.startsWith("[") ? prefix + field : prefix + "." + field;
    }
}

package dev.batchscope.events.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A batch size: a positive integer, or {@code "full"} (the whole training split in one step).
 * Out-of-range integers are kept so that validation can report them with the field name;
 * only values that are neither a number nor "full" fail while reading.
 */
public final class BatchSize {
    public static final String FULL_WIRE = "full";
    public static final int MAX = 1 << 20;
    public static final BatchSize FULL = new BatchSize(0);

    private final int size;

    private BatchSize(int size) {
        this.size = size;
    }

    public static BatchSize of(int size) {
        return new BatchSize(size);
    }

    @JsonCreator
    public static BatchSize parse(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must be a positive integer (1.." + MAX + ") or \"full\", got " + value);
            }
            return of(n.intValue() == 0 ? -1 : n.intValue());
        }
        if (value instanceof String s) {
            String trimmed = s.trim();
            if (trimmed.equalsIgnoreCase(FULL_WIRE)) {
                return FULL;
            }
            try {
                return parse(Long.parseLong(trimmed));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a positive integer (1.." + MAX + ") or \"full\", got \"" + s + "\"");
            }
        }
        throw new IllegalArgumentException("must be a positive integer (1.." + MAX + ") or \"full\"");
    }

    public boolean isFull() {
        return this == FULL;
    }

    /** The requested size; only meaningful when not {@link #isFull()}. */
    public int size() {
        return size;
    }

    public boolean inRange() {
        return isFull() || (size >= 1 && size <= MAX);
    }

    /** The number of examples per step for a training split of {@code trainSize} examples. */
    public int resolve(int trainSize) {
        return isFull() ? trainSize : size;
    }

    @JsonValue
    public Object wire() {
        return isFull() ? FULL_WIRE : Integer.valueOf(size);
    }

    @Override
    public String toString() {
        return isFull() ? FULL_WIRE : Integer.toString(size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchSize other && other.size == size;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(size);
    }
}

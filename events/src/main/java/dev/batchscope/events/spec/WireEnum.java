package dev.batchscope.events.spec;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/**
 * An enum with a lower-case wire name. Jackson reads and writes the {@link #wire()} value,
 * and validation errors list the allowed values through {@link #allowed(Class)}.
 */
public interface WireEnum {
    @JsonValue
    String wire();

    static List<String> allowed(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> constant instanceof WireEnum w ? w.wire() : constant.toString())
                .toList();
    }
}

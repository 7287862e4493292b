package dev.batchscope.scheduler.api;

import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.validation.ValidationException;

import java.util.Locale;

/**
 * Reads a sweep spec in the format its Content-Type names: JSON, YAML, or, for a body sent as text/plain,
 * application/octet-stream or without a type, whichever it looks like. Any other declared type is refused.
 */
final class SweepBodyReader {
    static final String ACCEPTED = "application/json or application/yaml";

    private SweepBodyReader() {
    }

    static SweepSpec read(byte[] body, String contentType) {
        String type = mediaType(contentType);
        if (type.endsWith("json")) {
            return EventJson.readSweepJson(body);
        }
        if (type.endsWith("yaml") || type.endsWith("yml")) {
            return EventJson.readSweepYaml(body);
        }
        if (type.isEmpty() || type.equals("text/plain") || type.equals("application/octet-stream")) {
            return EventJson.readSweep(body);
        }
        throw new ValidationException("Content-Type", type + " is not accepted; send the sweep as " + ACCEPTED);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int params = contentType.indexOf(';');
        return (params < 0 ? contentType : contentType.substring(0, params)).trim().toLowerCase(Locale.ROOT);
    }
}

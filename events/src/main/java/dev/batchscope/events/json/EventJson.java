package dev.batchscope.events.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.batchscope.events.Event;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.validation.EventValidator;
import dev.batchscope.events.validation.SpecValidator;
import dev.batchscope.events.validation.ValidationException;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;

/**
 * The one JSON (and YAML) mapping of events and sweep specs. Reading is strict: unknown fields, duplicate keys,
 * nulls for primitives and trailing tokens fail, and every failure becomes a {@link ValidationException}
 * that names the field.
 */
public final class EventJson {
    /** Inputs larger than this are refused before parsing. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;

    private static final ObjectMapper JSON = strictText(configure(JsonMapper.builder())).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(yamlFactory())).build();

    private EventJson() {
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    public static byte[] write(Event event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event.type(), e);
        }
    }

    public static String writeString(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads and validates one event. */
    public static Event readEvent(byte[] bytes) {
        Event event = read(JSON, bytes, Event.class);
        EventValidator.requireValid(event);
        return event;
    }

    /** Reads and validates a sweep spec from JSON. */
    public static SweepSpec readSweepJson(byte[] bytes) {
        SweepSpec sweep = read(JSON, bytes, SweepSpec.class);
        SpecValidator.requireValid(sweep);
        return sweep;
    }

    /** Reads and validates a sweep spec from YAML (a JSON document is valid YAML too). */
    public static SweepSpec readSweepYaml(byte[] bytes) {
        SweepSpec sweep = read(YAML, bytes, SweepSpec.class);
        SpecValidator.requireValid(sweep);
        return sweep;
    }

    /**
     * Reads and validates a sweep spec whose format nobody declared (a body without a media type, standard input):
     * JSON when it starts like JSON, YAML otherwise. JSON is read as JSON, where a number is never text.
     */
    public static SweepSpec readSweep(byte[] bytes) {
        return looksLikeJson(bytes) ? readSweepJson(bytes) : readSweepYaml(bytes);
    }

    private static boolean looksLikeJson(byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return b == '{' || b == '[';
            }
        }
        return false;
    }

    public static String sweepToYaml(SweepSpec sweep) {
        try {
            return YAML.writeValueAsString(sweep);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write sweep", e);
        }
    }

    private static <T> T read(ObjectMapper mapper, byte[] bytes, Class<T> type) {
        if (bytes == null || bytes.length == 0) {
            throw new ValidationException("(body)", "is empty; expected a " + type.getSimpleName() + " document");
        }
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new ValidationException("(body)", "is " + bytes.length + " bytes; at most " + MAX_DOCUMENT_BYTES + " allowed");
        }
        try {
            T value = mapper.readValue(bytes, type);
            if (value == null) {
                throw new ValidationException("(body)", "is empty; expected a " + type.getSimpleName() + " document");
            }
            return value;
        } catch (IOException e) {
            throw JsonErrors.toValidation(e);
        }
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                // binding a record keeps the last of two equal keys silently; a spec that says batchSizes twice is
                // ambiguous, and the one the reader ignored may be the one its author meant
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /**
     * In JSON a number or boolean where text belongs is a mistake to report, not to turn into "42". YAML keeps the
     * coercion: there {@code name: 2024} is how people write the text 2024.
     */
    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strictText(B builder) {
        return builder.withCoercionConfig(LogicalType.Textual, text -> text
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    private static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        // YAML aliases can expand a small document into a huge one ("billion laughs")
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_DOCUMENT_BYTES);
        return YAMLFactory.builder().loaderOptions(options).build();
    }
}

package dev.batchscope.events.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.batchscope.events.spec.WireEnum;
import dev.batchscope.events.validation.ValidationException;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/** Turns Jackson's reading errors into field-named violations a user can act on. */
final class JsonErrors {
    private static final List<String> EVENT_TYPES =
            List.of("RunRequested", "RunStatusChanged", "IterationMetrics", "EpochMetrics", "RunCancelled", "RunStepCap");

    private JsonErrors() {
    }

    static ValidationException toValidation(IOException e) {
        JsonParseException syntax = e instanceof JsonParseException p ? p
                : e.getCause() instanceof JsonParseException p ? p : null;
        if (syntax != null && isDuplicateKey(syntax)) {
            return new ValidationException(pathOf(syntax.getProcessor()), "duplicate key; each field may appear once "
                    + "in an object (which one was meant is not clear)");
        }
        if (!(e instanceof DatabindException mapping)) {
            return new ValidationException("(body)", "is not well-formed: " + firstLine(e));
        }
        String field = fieldPath((JsonMappingException) mapping);
        if (mapping.getCause() instanceof JsonParseException parse) {
            // a syntax error inside a value: Jackson's path stops at the enclosing object, the parser knows the field
            return new ValidationException(withCurrentField(field, parse), describeSyntax(parse));
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String allowed = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", "));
            return new ValidationException(field, "is not a known field; allowed here: " + allowed);
        }
        if (e instanceof InvalidTypeIdException typeId) {
            return new ValidationException("type", (typeId.getTypeId() == null ? "is required; " : "")
                    + "must be one of " + EVENT_TYPES);
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return new ValidationException(field, "\"" + format.getValue() + "\" is not allowed; one of "
                    + WireEnum.allowed(format.getTargetType()));
        }
        if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            return new ValidationException(field, instantiation.getCause().getMessage());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            if (mismatch.getMessage().contains("missing type id")) {
                return new ValidationException("type", "is required; one of " + EVENT_TYPES);
            }
            return new ValidationException(field, "has the wrong type; expected " + describe(mismatch.getTargetType()));
        }
        if (e instanceof JsonMappingException && e.getCause() instanceof IllegalArgumentException cause) {
            return new ValidationException(field, cause.getMessage());
        }
        return new ValidationException(field, firstLine(e));
    }

    /** Jackson's STRICT_DUPLICATE_DETECTION (JSON and YAML parsers alike) reports "Duplicate field 'x'". */
    private static boolean isDuplicateKey(JsonParseException parse) {
        String message = parse.getOriginalMessage();
        return message != null && message.startsWith("Duplicate field") && parse.getProcessor() != null;
    }

    /**
     * The field the parser is at, as a path ("learningRate.grid", "runs[2].spec"): a parser's error has no databind
     * path, but its contexts, from the current one up to the root, name each enclosing field and index.
     */
    private static String pathOf(JsonParser parser) {
        StringBuilder sb = new StringBuilder();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                sb.insert(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                sb.insert(0, c.getCurrentName() + (sb.isEmpty() || sb.charAt(0) == '[' ? "" : "."));
            }
        }
        return sb.isEmpty() ? "(body)" : sb.toString();
    }

    private static String withCurrentField(String field, JsonParseException parse) {
        JsonParser parser = parse.getProcessor();
        if (parser != null && parser.getParsingContext() != null) {
            String current = parser.getParsingContext().getCurrentName();
            if (current != null && !field.equals(current) && !field.endsWith("." + current)) {
                return field.equals("(body)") ? current : field + "." + current;
            }
        }
        return field;
    }

    private static String describeSyntax(JsonParseException parse) {
        String message = firstLine(parse);
        if (message.contains("Non-standard token")) {
            return "is not a finite number (NaN and Infinity are not allowed)";
        }
        return "is not well-formed: " + message;
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(body)" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + WireEnum.allowed(type);
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String firstLine(Exception e) {
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}

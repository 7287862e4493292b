package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.cli.CliException;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.validation.ValidationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A sweep spec as the CLI sends it: its bytes, the format they are in and where they came from. {@link #check} reads
 * and validates them with events' {@code EventJson} and {@code SpecValidator}, exactly as the scheduler reads a body of
 * that format, so a spec the scheduler would refuse is refused here, with the same field-named messages, before
 * anything is sent.
 *
 * @param origin what to call it in messages: the file name, "standard input", "the spec flags"
 */
public record SpecSource(String origin, byte[] body, Format format) {

    /** How the bytes are read, and the Content-Type they are sent with. */
    public enum Format {
        JSON("application/json"),
        YAML("application/yaml"),
        /** Standard input: the scheduler's rule for a body without a type (JSON when it starts like JSON). */
        UNDECLARED("text/plain");

        private final String contentType;

        Format(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }
    }

    /** A spec file: JSON when its name ends in .json, YAML otherwise. */
    public static SpecSource file(Path file) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        boolean json = file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        return new SpecSource(file.toString(), body, json ? Format.JSON : Format.YAML);
    }

    public static SpecSource stdin(InputStream in) {
        try {
            return new SpecSource("standard input", in.readAllBytes(), Format.UNDECLARED);
        } catch (IOException e) {
            throw CliException.usage("cannot read standard input: " + e.getMessage());
        }
    }

    /** A spec the CLI assembled (from flags, or the demo's and the load's own sweeps). */
    public static SpecSource json(String origin, JsonNode spec) {
        try {
            return new SpecSource(origin, EventJson.mapper().writeValueAsBytes(spec), Format.JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + origin, e);
        }
    }

    /** The spec, read and validated; a usage error (exit 2) listing every violation when it is not valid. */
    public SweepSpec check() {
        return check(FieldFlags.NONE);
    }

    /** As {@link #check()}, each violation also naming the flag that set its field. */
    public SweepSpec check(FieldFlags flags) {
        try {
            return read();
        } catch (ValidationException e) {
            throw CliException.usage(describe(e, flags) + System.lineSeparator() + "nothing was sent");
        }
    }

    /** The spec, read and validated; throws the validator's exception with every violation. */
    public SweepSpec read() {
        return switch (format) {
            case JSON -> EventJson.readSweepJson(body);
            case YAML -> EventJson.readSweepYaml(body);
            case UNDECLARED -> EventJson.readSweep(body);
        };
    }

    /** "ORIGIN is not a valid sweep spec:" and a line per violation, as the scheduler's answer lists them. */
    public String describe(ValidationException e) {
        return describe(e, FieldFlags.NONE);
    }

    private String describe(ValidationException e, FieldFlags flags) {
        StringBuilder sb = new StringBuilder(origin).append(" is not a valid sweep spec:");
        e.violations().forEach(v -> sb.append(System.lineSeparator()).append("  ").append(flags.prefix(v.field())).append(v));
        return sb.toString();
    }
}

package dev.batchscope.system;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.batchscope.cli.BatchscopeCommand;
import dev.batchscope.cli.ExitCodes;
import dev.batchscope.testing.ExampleSpecs;
import dev.batchscope.testing.process.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input corpus with no service running: the CLI refuses every CLI case and every sweep body (as a spec file,
 * through {@code sweep validate} and {@code sweep submit}) itself, with exit 2 and the field named; and the published
 * JSON Schema refuses every body that is a document at all. The URLs point at a port where nothing listens, so a
 * command that tried to send would exit 3.
 */
class CorpusWithoutServicesTest {
    private static final String NOBODY = "http://127.0.0.1:" + ServiceProcess.freePort();
    private static final Set<String> NOT_SPEC_FIELDS = Set.of("Content-Type", "Idempotency-Key");

    static List<BadInputs.CliCase> cli() {
        return BadInputs.cli();
    }

    /** Every sweep body of the corpus that a spec file could hold (not a header's case). */
    static List<BadInputs.RestCase> sweepBodies() {
        return BadInputs.rest().stream()
                .filter(c -> c.method().equals("POST") && c.path().equals("/api/v1/sweeps"))
                .filter(c -> c.field() == null || !NOT_SPEC_FIELDS.contains(c.field()))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("cli")
    void eachCliCaseExitsTwoNamingTheProblemWithNoSchedulerRunning(BadInputs.CliCase c) {
        List<String> args = new ArrayList<>(List.of("--scheduler-url", NOBODY, "--metrics-url", NOBODY));
        args.addAll(c.args());
        Run run = run(args);
        assertEquals(ExitCodes.USAGE, run.exit(), run.toString());
        assertTrue(run.err().contains(c.mentions()), "names " + c.mentions() + "\n" + run);
        assertFalse(run.err().contains("cannot reach"), "refused here, not for want of a scheduler\n" + run);
        assertFalse(run.err().contains("\tat "), "no stack trace\n" + run);
    }

    @ParameterizedTest
    @MethodSource("sweepBodies")
    void eachSweepBodyAsASpecFileIsRefusedByValidateAndSubmitNamingTheField(BadInputs.RestCase c, @TempDir Path dir)
            throws IOException {
        Path file = Files.write(dir.resolve(c.contentType().endsWith("yaml") ? "spec.yaml" : "spec.json"), c.body());
        Run validate = run(List.of("sweep", "validate", "-f", file.toString()));
        assertEquals(ExitCodes.USAGE, validate.exit(), validate.toString());
        Run submit = run(List.of("--scheduler-url", NOBODY, "sweep", "submit", "-f", file.toString()));
        assertEquals(ExitCodes.USAGE, submit.exit(), submit.toString());
        assertTrue(submit.err().contains("nothing was sent"), submit.toString());
        if (c.field() != null) {
            assertTrue(validate.out().contains("  " + c.field() + ": "), "names " + c.field() + "\n" + validate);
            assertTrue(submit.err().contains("  " + c.field() + ": "), "names " + c.field() + "\n" + submit);
        }
    }

    @Test
    void thePublishedSchemaRefusesEveryBodyThatIsADocument() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(new ObjectMapper().readTree(Files.readAllBytes(ExampleSpecs.repositoryRoot().resolve(
                        "docs/sweep-spec.schema.json"))));
        List<String> documents = new ArrayList<>();
        for (BadInputs.RestCase c : sweepBodies()) {
            if (c.betweenFields()) {
                continue; // a rule between fields: the validator's alone (docs/design.md, section 5)
            }
            JsonNode body;
            try {
                body = strict(c.contentType().endsWith("yaml") ? new YAMLMapper() : new ObjectMapper()).readTree(c.body());
            } catch (IOException notADocument) {
                continue; // broken syntax or a key given twice: a parser refuses it before any schema could
            }
            if (body == null || body.isMissingNode()) {
                continue; // an empty body
            }
            assertFalse(schema.validate(body).isEmpty(), "the schema takes the corpus's " + c.name() + ": " + c);
            documents.add(c.name());
        }
        assertTrue(documents.size() >= 20, "structural cases checked: " + documents);
        // the corpus's valid base, for contrast
        assertEquals(Set.of(), schema.validate(new ObjectMapper().readTree(BadInputs.SWEEP)));
    }

    /**
     * A reader that refuses a key given twice, as EventJson does: a lenient one keeps the last and hands the schema a
     * document the sender may not have meant.
     */
    private static ObjectMapper strict(ObjectMapper mapper) {
        mapper.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper;
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BatchscopeCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }
}

package dev.batchscope.events.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/sweep-spec.schema.json is the schema generated from the spec records, accepts every example spec of the
 * repository, and says what {@code SpecValidator} says about every range and required field it declares: a value at
 * each bound is accepted by both, a value past it refused by both. (The bad-input corpus's structural cases are
 * checked in system-tests, where the corpus lives.)
 */
class SweepSpecSchemaTest {
    private static final Path ROOT = repositoryRoot();
    private static final JsonNode GENERATED = SweepSpecSchema.generate();
    private static final JsonSchema SCHEMA =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(GENERATED);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern FENCED_YAML = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    /** A bound that no valid spec can reach alone: min must stay below max, so each can reach only one end. */
    private static final Set<String> UNREACHABLE_BOUNDS = Set.of("learningRate.search.min<=max",
            "learningRate.search.max>=min");

    @Test
    void theCommittedSchemaIsTheOneGeneratedFromTheRecords() throws IOException {
        String generated = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(SweepSpecSchema.generate()) + "\n";
        Path file = ROOT.resolve(SweepSpecSchema.FILE);
        if (Boolean.getBoolean("batchscope.schema.write")) {
            Files.writeString(file, generated);
        }
        String regenerate = "; regenerate it: ./mvnw -B -pl events test -Dtest=SweepSpecSchemaTest"
                + " -Dbatchscope.schema.write=true";
        assertTrue(Files.isRegularFile(file), SweepSpecSchema.FILE + " is missing" + regenerate);
        assertEquals(generated, Files.readString(file), SweepSpecSchema.FILE + " is not what the records give" + regenerate);
    }

    @Test
    void theSchemaAndTheValidatorAcceptEveryExampleSpecOfTheRepository() throws IOException {
        Map<String, String> examples = examples();
        assertTrue(examples.size() >= 6, "examples found: " + examples.keySet());
        for (Map.Entry<String, String> example : examples.entrySet()) {
            byte[] bytes = example.getValue().getBytes(StandardCharsets.UTF_8);
            try {
                EventJson.readSweepYaml(bytes);
            } catch (ValidationException e) {
                fail(example.getKey() + " is not a valid spec: " + e.getMessage());
            }
            assertEquals(Set.of(), schema().validate(YAML.readTree(bytes)), example.getKey());
        }
    }

    @Test
    void everyRangeOfTheSchemaIsTheValidators() {
        List<String> checked = new ArrayList<>();
        for (Bound bound : bounds(schemaNode(), "")) {
            boolean integer = bound.integer();
            double at = bound.value();
            double past = bound.max() ? (integer ? at + 1 : at + step(at)) : (integer ? at - 1 : at - step(at));
            String reach = bound.path() + (bound.max() ? "<=max" : ">=min");
            if (!UNREACHABLE_BOUNDS.contains(reach)) {
                ObjectNode atBound = SpecBases.withValue(bound.path(), number(at, integer));
                assertEquals(List.of(), violationsAt(atBound, bound.path()), reach + " = " + at + ": " + atBound);
                assertEquals(Set.of(), schema().validate(atBound), reach + " = " + at);
            }
            ObjectNode pastBound = SpecBases.withValue(bound.path(), number(past, integer));
            assertTrue(!violationsAt(pastBound, bound.path()).isEmpty(), "validator takes " + reach + " = " + past);
            assertTrue(!schema().validate(pastBound).isEmpty(), "schema takes " + reach + " = " + past);
            checked.add(reach);
        }
        assertTrue(checked.size() >= 50, "bounds checked: " + checked);
    }

    @Test
    void everyItemCountOfTheSchemaIsTheValidators() {
        for (Map.Entry<String, int[]> entry : Map.of("seeds", new int[]{1, 100}, "learningRate.grid", new int[]{1, 16},
                "model.hidden", new int[]{0, 8}, "batchSizes", new int[]{1, -1}).entrySet()) {
            String path = entry.getKey();
            JsonNode declared = schemaNode().at("/properties/" + path.replace(".", "/properties/"));
            assertEquals(entry.getValue()[0], declared.path("minItems").asInt(0), path + " minItems");
            assertEquals(entry.getValue()[1], declared.path("maxItems").asInt(-1), path + " maxItems");
            for (int n : new int[]{entry.getValue()[0], entry.getValue()[1]}) {
                if (n < 0) {
                    continue;
                }
                ObjectNode spec = SpecBases.withItems(path, n);
                assertEquals(List.of(), violationsAt(spec, path), path + " with " + n);
                assertEquals(Set.of(), schema().validate(spec), path + " with " + n);
            }
            int[] past = {entry.getValue()[0] - 1, entry.getValue()[1] < 0 ? -1 : entry.getValue()[1] + 1};
            for (int n : past) {
                if (n < 0) {
                    continue;
                }
                ObjectNode spec = SpecBases.withItems(path, n);
                assertTrue(!violationsAt(spec, path).isEmpty(), "validator takes " + n + " " + path);
                assertTrue(!schema().validate(spec).isEmpty(), "schema takes " + n + " " + path);
            }
        }
    }

    @Test
    void everyRequiredFieldOfTheSchemaIsRequiredByTheValidator() {
        List<String> required = new ArrayList<>();
        requiredFields(schemaNode(), "", required);
        assertTrue(required.containsAll(List.of("name", "dataset", "model", "batchSizes", "learningRate", "budget",
                "dataset.name", "model.type")), required.toString());
        for (String path : required) {
            ObjectNode spec = SpecBases.without(path);
            assertTrue(!violationsAt(spec, path).isEmpty(), "the validator does not require " + path + ": " + spec);
            assertTrue(!schema().validate(spec).isEmpty(), "the schema does not require " + path);
        }
    }

    @Test
    void theSchemaRefusesWhatTheRecordsDoNotReadAndNeverRefusesWhatTheyDo() {
        ObjectNode valid = SpecBases.withValue("name", JsonNodeFactory.instance.textNode("ok"));
        assertEquals(Set.of(), schema().validate(valid));
        for (String[] change : new String[][]{{"/loss", "\"hinge\""}, {"/model/type", "\"transformer\""},
                {"/epochs", "3"}, {"/dataset/url", "\"x\""}, {"/batchSizes", "[\"huge\"]"}, {"/batchSizes", "[0]"},
                {"/learningRate/base", "\"fast\""}, {"/name", "\"a b\""}, {"/protocol", "\"bayesian\""},
                {"/budget", "{\"epochs\": 1, \"steps\": 3}"}}) {
            ObjectNode spec = valid.deepCopy();
            String parent = change[0].substring(0, change[0].lastIndexOf('/'));
            ObjectNode holder = parent.isEmpty() ? spec : (ObjectNode) spec.at(parent);
            holder.set(change[0].substring(change[0].lastIndexOf('/') + 1), read(change[1]));
            assertTrue(!schema().validate(spec).isEmpty(), "schema takes " + change[0] + " = " + change[1]);
            assertThrowsValidation(spec, change[0]);
        }
    }

    private static void assertThrowsValidation(ObjectNode spec, String what) {
        try {
            EventJson.readSweepJson(spec.toString().getBytes(StandardCharsets.UTF_8));
            fail("the validator takes " + what + ": " + spec);
        } catch (ValidationException expected) {
            // refused by both
        }
    }

    /** The validator's violations at {@code path} or below it. */
    private static List<String> violationsAt(ObjectNode spec, String path) {
        try {
            EventJson.readSweepJson(spec.toString().getBytes(StandardCharsets.UTF_8));
            return List.of();
        } catch (ValidationException e) {
            List<String> at = new ArrayList<>();
            String item = path.replace("[]", "[0]");
            for (Violation v : e.violations()) {
                if (v.field().equals(item) || v.field().startsWith(item + ".") || v.field().startsWith(item + "[")) {
                    at.add(v.toString());
                }
            }
            return at;
        }
    }

    /** A bound of the schema: the dotted path of the number ("[]" for an array's items), its value and kind. */
    private record Bound(String path, double value, boolean max, boolean integer) {
    }

    private static List<Bound> bounds(JsonNode node, String path) {
        List<Bound> found = new ArrayList<>();
        boolean integer = "integer".equals(node.path("type").asText());
        if (node.has("minimum")) {
            found.add(new Bound(path, node.get("minimum").asDouble(), false, integer));
        }
        if (node.has("maximum")) {
            found.add(new Bound(path, node.get("maximum").asDouble(), true, integer));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            found.addAll(bounds(property.getValue(), path.isEmpty() ? property.getKey() : path + "." + property.getKey()));
        }
        if (node.has("items")) {
            found.addAll(bounds(node.get("items"), path + "[]"));
        }
        return found;
    }

    private static void requiredFields(JsonNode node, String path, List<String> into) {
        node.path("required").forEach(name -> into.add(path.isEmpty() ? name.asText() : path + "." + name.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            requiredFields(property.getValue(), path.isEmpty() ? property.getKey() : path + "." + property.getKey(), into);
        }
    }

    private static double step(double value) {
        return value == 0 ? 1e-3 : Math.abs(value) * 1e-3;
    }

    private static JsonNode number(double value, boolean integer) {
        return integer ? JsonNodeFactory.instance.numberNode((long) value) : JsonNodeFactory.instance.numberNode(value);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** examples/ and the YAML sweeps shown in the docs, by where they are. */
    private static Map<String, String> examples() throws IOException {
        Map<String, String> found = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$")).toList()) {
                found.put(ROOT.relativize(file).toString(), Files.readString(file));
            }
        }
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        for (Path doc : docs) {
            Matcher block = FENCED_YAML.matcher(Files.readString(doc));
            for (int i = 1; block.find(); i++) {
                if (block.group(1).contains("batchSizes:")) {
                    found.put(ROOT.relativize(doc) + " yaml block " + i, block.group(1));
                }
            }
        }
        return found;
    }

    private static JsonNode schemaNode() {
        return GENERATED;
    }

    private static JsonSchema schema() {
        return SCHEMA;
    }

    /** As testing's ExampleSpecs finds it; events cannot use the testing module, which depends on it. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("examples")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no folder above " + Path.of("").toAbsolutePath() + " holds examples/");
    }
}

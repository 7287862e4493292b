package dev.batchscope.events.json;

import dev.batchscope.events.validation.ValidationException;
import dev.batchscope.events.validation.Violation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Each invalid sweep spec or event is refused with a violation that names the offending field. */
class InvalidInputTest {
    private static final String VALID_SWEEP = """
            {"name":"textbook","dataset":{"name":"fashion-mnist"},"model":{"type":"mlp","hidden":[256,128]},
             "batchSizes":[16,32,"full"],"seeds":[1,2],"learningRate":{"base":0.05,"scaling":"none"},
             "budget":{"epochs":3}}""";

    private static final String VALID_ITERATION = """
            {"type":"IterationMetrics","schemaVersion":1,"runId":"sw-1-r0","sweepId":"sw-1",
             "emittedAt":"2026-11-26T12:00:00Z","attempt":1,"iteration":5,"epoch":0,"samplesSeen":160,
             "loss":2.1,"gradNorm":1.2,"learningRate":0.05,"elapsedMs":50,"samplesPerSecond":3200.0}""";

    static Stream<Arguments> invalidSweeps() {
        return Stream.of(
                arguments("name with a space", VALID_SWEEP.replace("\"textbook\"", "\"text book\""), "name", "A-Z"),
                arguments("name with a label injection", VALID_SWEEP.replace("\"textbook\"", "\"x\\\"}\""), "name", "A-Z"),
                arguments("missing name", VALID_SWEEP.replace("\"name\":\"textbook\",", ""), "name", "required"),
                arguments("zero batch size", VALID_SWEEP.replace("[16,32,\"full\"]", "[0]"), "batchSizes[0]", "positive"),
                arguments("negative batch size", VALID_SWEEP.replace("[16,32,\"full\"]", "[16,-4]"), "batchSizes[1]", "positive"),
                arguments("huge batch size", VALID_SWEEP.replace("[16,32,\"full\"]", "[2000000]"), "batchSizes[0]", "1048576"),
                arguments("batch size word", VALID_SWEEP.replace("[16,32,\"full\"]", "[\"half\"]"), "batchSizes[0]", "full"),
                arguments("fractional batch size", VALID_SWEEP.replace("[16,32,\"full\"]", "[16.5]"), "batchSizes[0]", "integer"),
                arguments("duplicated batch size", VALID_SWEEP.replace("[16,32,\"full\"]", "[16,32,16]"), "batchSizes[2]", "duplicates"),
                arguments("no batch sizes", VALID_SWEEP.replace("[16,32,\"full\"]", "[]"), "batchSizes", "at least one"),
                arguments("unknown dataset", VALID_SWEEP.replace("fashion-mnist", "imagenet"), "dataset.name", "synthetic-linear"),
                arguments("unknown model", VALID_SWEEP.replace("\"mlp\"", "\"transformer\""), "model.type", "cnn"),
                arguments("unknown loss", VALID_SWEEP.replace("\"budget\"", "\"loss\":\"hinge\",\"budget\""), "loss", "cross-entropy"),
                arguments("unknown lr scaling", VALID_SWEEP.replace("\"none\"", "\"quadratic\""), "learningRate.scaling", "sqrt"),
                arguments("negative learning rate", VALID_SWEEP.replace("0.05", "-0.1"), "learningRate.base", "between"),
                arguments("learning rate as text", VALID_SWEEP.replace("0.05", "\"fast\""), "learningRate.base", "number"),
                arguments("NaN learning rate", VALID_SWEEP.replace("0.05", "\"NaN\""), "learningRate.base", "finite"),
                arguments("name as a number", VALID_SWEEP.replace("\"textbook\"", "42"), "name", "string"),
                arguments("bare NaN token", VALID_SWEEP.replace("0.05", "NaN"), "learningRate.base", "finite"),
                arguments("syntax error inside a value", VALID_SWEEP.replace("0.05", "0.0.5"), "learningRate.base",
                        "well-formed"),
                arguments("zero epochs", VALID_SWEEP.replace("{\"epochs\":3}", "{\"epochs\":0}"), "budget.epochs", "between"),
                arguments("two budgets", VALID_SWEEP.replace("{\"epochs\":3}", "{\"epochs\":3,\"steps\":10}"), "budget", "exactly one"),
                arguments("too many epochs", VALID_SWEEP.replace("{\"epochs\":3}", "{\"epochs\":100000}"), "budget.epochs", "between"),
                arguments("unknown field", VALID_SWEEP.replace("\"budget\"", "\"colour\":\"red\",\"budget\""), "colour", "allowed here"),
                arguments("duplicated seed", VALID_SWEEP.replace("[1,2]", "[2,2]"), "seeds[1]", "duplicates"),
                arguments("negative seed", VALID_SWEEP.replace("[1,2]", "[-1]"), "seeds[0]", "positive"),
                arguments("too many runs", VALID_SWEEP.replace("[1,2]", seeds(100)).replace("[16,32,\"full\"]",
                        "[1,2,3,4,5,6,7,8,9,10,11]"), "batchSizes", "at most 1000"),
                arguments("cross-entropy on regression", VALID_SWEEP.replace("fashion-mnist", "synthetic-linear")
                        .replace("\"mlp\",\"hidden\":[256,128]", "\"linear\""), "loss", "classification"),
                arguments("cnn on tabular data", VALID_SWEEP.replace("fashion-mnist", "synthetic-blobs")
                        .replace("\"mlp\",\"hidden\":[256,128]", "\"cnn\""), "model.type", "image"),
                arguments("csv without a path", VALID_SWEEP.replace("{\"name\":\"fashion-mnist\"}", "{\"name\":\"csv\"}"),
                        "dataset.path", "required"),
                arguments("hidden layer too wide", VALID_SWEEP.replace("[256,128]", "[256,100000]"), "model.hidden[1]", "between"),
                arguments("micro-batches of one", VALID_SWEEP.replace("\"budget\"", "\"noise\":{\"every\":10,\"microBatches\":1},\"budget\""),
                        "noise.microBatches", "between"),
                arguments("truncated JSON", VALID_SWEEP.substring(0, 60), "(body)", "well-formed"),
                arguments("empty body", "", "(body)", "empty"),
                arguments("a list instead of an object", "[1,2,3]", "(body)", "wrong type"),
                arguments("batchSizes as a string", VALID_SWEEP.replace("[16,32,\"full\"]", "\"16,32\""), "batchSizes", "list"));
    }

    static Stream<Arguments> invalidEvents() {
        return Stream.of(
                arguments("unknown schema version", VALID_ITERATION.replace("\"schemaVersion\":1", "\"schemaVersion\":99"),
                        "schemaVersion", "supported"),
                arguments("missing schema version", VALID_ITERATION.replace("\"schemaVersion\":1,", ""), "schemaVersion", "required"),
                arguments("unknown type", VALID_ITERATION.replace("IterationMetrics", "Gossip"), "type", "RunStatusChanged"),
                arguments("missing type", VALID_ITERATION.replace("\"type\":\"IterationMetrics\",", ""), "type", "required"),
                arguments("NaN loss", VALID_ITERATION.replace("\"loss\":2.1", "\"loss\":\"NaN\""), "loss", "finite"),
                arguments("missing loss", VALID_ITERATION.replace("\"loss\":2.1,", ""), "loss", "required"),
                arguments("negative iteration", VALID_ITERATION.replace("\"iteration\":5", "\"iteration\":-5"), "iteration", "between"),
                arguments("attempt zero", VALID_ITERATION.replace("\"attempt\":1", "\"attempt\":0"), "attempt", "between"),
                arguments("bad timestamp", VALID_ITERATION.replace("2026-11-26T12:00:00Z", "yesterday"), "emittedAt", ""),
                arguments("runId with a quote", VALID_ITERATION.replace("sw-1-r0", "r\\\"}0"), "runId", "A-Z"),
                arguments("noise with one micro-batch", VALID_ITERATION.replace("\"samplesPerSecond\":3200.0",
                                "\"samplesPerSecond\":3200.0,\"noise\":{\"microBatches\":1,\"microBatchSize\":8,"
                                        + "\"gradVariance\":0.1,\"traceSigma\":0.8,\"gradNormSqUnbiased\":0.2}"),
                        "noise.microBatches", "between"),
                arguments("per-example noise with micro-batches of 8", VALID_ITERATION.replace("\"samplesPerSecond\":3200.0",
                                "\"samplesPerSecond\":3200.0,\"noise\":{\"method\":\"per-example\",\"microBatches\":32,"
                                        + "\"microBatchSize\":8,\"gradVariance\":0.1,\"traceSigma\":0.8,\"gradNormSqUnbiased\":0.2}"),
                        "noise.microBatchSize", "between"),
                arguments("unknown noise method", VALID_ITERATION.replace("\"samplesPerSecond\":3200.0",
                                "\"samplesPerSecond\":3200.0,\"noise\":{\"method\":\"hutchinson\",\"microBatches\":4,"
                                        + "\"microBatchSize\":8,\"gradVariance\":0.1,\"traceSigma\":0.8,\"gradNormSqUnbiased\":0.2}"),
                        "noise.method", "per-example"),
                arguments("unknown state", """
                        {"type":"RunStatusChanged","schemaVersion":1,"runId":"r1","sweepId":"s1",
                         "emittedAt":"2026-11-26T12:00:00Z","state":"PAUSED","attempt":1}""", "state", "RUNNING"),
                arguments("not JSON at all", "\u0000\u0001garbage", "(body)", "well-formed"));
    }

    private static String seeds(int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append(i);
        }
        return sb.append(']').toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSweeps")
    void invalidSweepIsRefusedNamingTheField(String why, String body, String field, String hint) {
        assertViolation(assertThrows(ValidationException.class,
                () -> EventJson.readSweepJson(body.getBytes(StandardCharsets.UTF_8))), field, hint);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void invalidEventIsRefusedNamingTheField(String why, String body, String field, String hint) {
        assertViolation(assertThrows(ValidationException.class,
                () -> EventJson.readEvent(body.getBytes(StandardCharsets.UTF_8))), field, hint);
    }

    private static void assertViolation(ValidationException e, String field, String hint) {
        assertTrue(e.violations().stream().anyMatch(v -> v.field().equals(field) && v.message().contains(hint)),
                () -> "expected a violation of " + field + " mentioning '" + hint + "', got " + e.violations());
    }
}

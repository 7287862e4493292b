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

    private static final String VALID_TUNED = """
            {"name":"study","protocol":"tuned","dataset":{"name":"fashion-mnist"},"model":{"type":"mlp","hidden":[64]},
             "batchSizes":[16,256],"learningRate":{"grid":[0.03,0.1,0.3],"scaling":"sqrt"},
             "budget":{"epochs":3},"targetLoss":0.5}""";

    private static final String VALID_STEP_CAP = """
            {"type":"RunStepCap","schemaVersion":1,"runId":"sw-1-r0","sweepId":"sw-1",
             "emittedAt":"2026-11-26T12:00:00Z","maxIterations":120,"reason":"r3 reached the target at 80"}""";

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
                arguments("csv at an absolute path", VALID_SWEEP.replace("{\"name\":\"fashion-mnist\"}",
                        "{\"name\":\"csv\",\"path\":\"/etc/passwd\"}").replace("\"mlp\",\"hidden\":[256,128]",
                        "\"logreg\""), "dataset.path", "got the absolute path \"/etc/passwd\""),
                arguments("csv path climbing out", VALID_SWEEP.replace("{\"name\":\"fashion-mnist\"}",
                        "{\"name\":\"csv\",\"path\":\"sets/../../secret.csv\"}"), "dataset.path", "has a .. segment"),
                arguments("cifar-10 at an absolute path", VALID_SWEEP.replace("{\"name\":\"fashion-mnist\"}",
                        "{\"name\":\"cifar-10\",\"path\":\"/data/cifar-10-batches-bin\"}"), "dataset.path",
                        "relative to the trainer's data directories"),
                arguments("duplicate key", VALID_SWEEP.replace("\"seeds\":[1,2]", "\"seeds\":[1],\"seeds\":[1,2]"),
                        "seeds", "duplicate key"),
                arguments("hidden layer too wide", VALID_SWEEP.replace("[256,128]", "[256,100000]"), "model.hidden[1]", "between"),
                arguments("micro-batches of one", VALID_SWEEP.replace("\"budget\"", "\"noise\":{\"every\":10,\"microBatches\":1},\"budget\""),
                        "noise.microBatches", "between"),
                arguments("truncated JSON", VALID_SWEEP.substring(0, 60), "(body)", "well-formed"),
                arguments("empty body", "", "(body)", "empty"),
                arguments("a list instead of an object", "[1,2,3]", "(body)", "wrong type"),
                arguments("batchSizes as a string", VALID_SWEEP.replace("[16,32,\"full\"]", "\"16,32\""), "batchSizes", "list"));
    }

    static Stream<Arguments> invalidStudies() {
        String search = "\"search\":{\"min\":0.01,\"max\":1.0,\"count\":5}";
        return Stream.of(
                arguments("unknown protocol", VALID_TUNED.replace("\"tuned\"", "\"adaptive\""), "protocol", "tuned"),
                arguments("empty grid", VALID_TUNED.replace("[0.03,0.1,0.3]", "[]"), "learningRate.grid", "1 to 16"),
                arguments("grid of 17", VALID_TUNED.replace("[0.03,0.1,0.3]", grid(17)), "learningRate.grid", "1 to 16"),
                arguments("zero learning rate in the grid", VALID_TUNED.replace("[0.03,0.1,0.3]", "[0.03,0]"),
                        "learningRate.grid[1]", "between"),
                arguments("negative learning rate in the grid", VALID_TUNED.replace("[0.03,0.1,0.3]", "[-0.1]"),
                        "learningRate.grid[0]", "between"),
                arguments("NaN in the grid", VALID_TUNED.replace("[0.03,0.1,0.3]", "[0.1,\"NaN\"]"),
                        "learningRate.grid[1]", "finite"),
                arguments("Infinity in the grid", VALID_TUNED.replace("[0.03,0.1,0.3]", "[\"Infinity\"]"),
                        "learningRate.grid[0]", "finite"),
                arguments("1e999 in the grid (a double's Infinity)", VALID_TUNED.replace("[0.03,0.1,0.3]", "[0.1,1e999]"),
                        "learningRate.grid[1]", "finite"),
                arguments("search min 1e999", tunedSearch("{\"min\":1e999,\"max\":1.0,\"count\":4}"),
                        "learningRate.search.min", "finite"),
                arguments("search max negative", tunedSearch("{\"min\":0.1,\"max\":-1,\"count\":4}"),
                        "learningRate.search.max", "between"),
                arguments("duplicate top-level key", VALID_TUNED.replace("\"batchSizes\":[16,256]",
                        "\"batchSizes\":[16],\"batchSizes\":[16,256]"), "batchSizes", "duplicate key"),
                arguments("duplicate nested key", VALID_TUNED.replace("\"scaling\":\"sqrt\"",
                        "\"scaling\":\"sqrt\",\"scaling\":\"none\""), "learningRate.scaling", "duplicate key"),
                arguments("duplicated grid value", VALID_TUNED.replace("[0.03,0.1,0.3]", "[0.1,0.3,0.1]"),
                        "learningRate.grid[2]", "duplicates"),
                arguments("search count 0", tunedSearch("{\"min\":0.01,\"max\":1.0,\"count\":0}"),
                        "learningRate.search.count", "must be from 2 to 16, got 0"),
                arguments("search count over the limit", tunedSearch("{\"min\":0.01,\"max\":1.0,\"count\":17}"),
                        "learningRate.search.count", "must be from 2 to 16, got 17"),
                arguments("search without count", tunedSearch("{\"min\":0.01,\"max\":1.0}"),
                        "learningRate.search.count", "required"),
                arguments("search min above max", tunedSearch("{\"min\":1.0,\"max\":0.01,\"count\":4}"),
                        "learningRate.search.min", "below max"),
                arguments("search min equal to max", tunedSearch("{\"min\":0.1,\"max\":0.1,\"count\":4}"),
                        "learningRate.search.min", "below max"),
                arguments("search min zero", tunedSearch("{\"min\":0,\"max\":1.0,\"count\":4}"),
                        "learningRate.search.min", "between"),
                arguments("search max infinite", tunedSearch("{\"min\":0.1,\"max\":\"Infinity\",\"count\":4}"),
                        "learningRate.search.max", "finite"),
                arguments("grid and search", VALID_TUNED.replace("\"scaling\"", search + ",\"scaling\""),
                        "learningRate", "got both"),
                arguments("neither grid nor search", VALID_TUNED.replace("\"grid\":[0.03,0.1,0.3],", ""),
                        "learningRate", "got neither"),
                arguments("base in tuned", VALID_TUNED.replace("\"scaling\"", "\"base\":0.1,\"scaling\""),
                        "learningRate.base", "absent"),
                arguments("grid in fixed", VALID_SWEEP.replace("\"base\":0.05", "\"base\":0.05,\"grid\":[0.1]"),
                        "learningRate.grid", "only protocol tuned"),
                arguments("search in fixed", VALID_SWEEP.replace("\"base\":0.05", "\"base\":0.05," + search),
                        "learningRate.search", "only protocol tuned"),
                arguments("centred candidate out of range", VALID_TUNED.replace("[0.03,0.1,0.3]", "[0.1,90]"),
                        "learningRate.grid[1]", "centred by scaling sqrt for batch size 256"),
                arguments("too many runs", VALID_TUNED.replace("[0.03,0.1,0.3]", grid(16)).replace("[16,256]",
                        "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,"
                                + "35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63]"),
                        "batchSizes", "batchSizes x learning rates x seeds gives 1008 runs"),
                arguments("tuned without targetLoss", VALID_TUNED.replace(",\"targetLoss\":0.5", ""), "targetLoss", "required"),
                arguments("stopAtTarget without targetLoss", VALID_SWEEP.replace("\"budget\"", "\"stopAtTarget\":true,\"budget\""),
                        "stopAtTarget", "needs targetLoss"),
                arguments("pruning without stopAtTarget", VALID_TUNED.replace("\"budget\"",
                        "\"stopAtTarget\":false,\"pruning\":{\"rule\":\"margin\"},\"budget\""), "pruning", "needs stopAtTarget"),
                arguments("pruning in fixed", VALID_SWEEP.replace("\"budget\"",
                        "\"targetLoss\":0.5,\"stopAtTarget\":true,\"pruning\":{\"rule\":\"margin\"},\"budget\""),
                        "pruning", "only with protocol tuned"),
                arguments("pruning margin below 1", VALID_TUNED.replace("\"budget\"",
                        "\"pruning\":{\"rule\":\"margin\",\"margin\":0.5},\"budget\""), "pruning.margin", "from 1.0 to 10.0"),
                arguments("pruning margin over 10", VALID_TUNED.replace("\"budget\"",
                        "\"pruning\":{\"rule\":\"margin\",\"margin\":11},\"budget\""), "pruning.margin", "from 1.0 to 10.0"),
                arguments("pruning without a rule", VALID_TUNED.replace("\"budget\"",
                        "\"pruning\":{\"margin\":2},\"budget\""), "pruning.rule", "margin"),
                arguments("unknown pruning rule", VALID_TUNED.replace("\"budget\"",
                        "\"pruning\":{\"rule\":\"halving\"},\"budget\""), "pruning.rule", "none"),
                arguments("margin with rule none", VALID_TUNED.replace("\"budget\"",
                        "\"pruning\":{\"rule\":\"none\",\"margin\":2},\"budget\""), "pruning.margin", "only with rule margin"));
    }

    private static String tunedSearch(String search) {
        return VALID_TUNED.replace("\"grid\":[0.03,0.1,0.3]", "\"search\":" + search);
    }

    private static String grid(int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append(0.01 * (i + 1));
        }
        return sb.append(']').toString();
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
                arguments("not JSON at all", "\u0000\u0001garbage", "(body)", "well-formed"),
                arguments("step cap of zero", VALID_STEP_CAP.replace("\"maxIterations\":120", "\"maxIterations\":0"),
                        "maxIterations", "between 1"),
                arguments("step cap without maxIterations", VALID_STEP_CAP.replace("\"maxIterations\":120,", ""),
                        "maxIterations", "required"),
                arguments("step cap as text", VALID_STEP_CAP.replace("\"maxIterations\":120", "\"maxIterations\":\"lots\""),
                        "maxIterations", "number"),
                arguments("outcome of another state", """
                        {"type":"RunStatusChanged","schemaVersion":1,"runId":"r1","sweepId":"s1",
                         "emittedAt":"2026-11-26T12:00:00Z","state":"FAILED","attempt":1,"outcome":"reached-target"}""",
                        "outcome", "SUCCEEDED"),
                arguments("outcome on a running run", """
                        {"type":"RunStatusChanged","schemaVersion":1,"runId":"r1","sweepId":"s1",
                         "emittedAt":"2026-11-26T12:00:00Z","state":"RUNNING","attempt":1,"outcome":"completed"}""",
                        "outcome", "not of RUNNING"),
                arguments("unknown outcome", """
                        {"type":"RunStatusChanged","schemaVersion":1,"runId":"r1","sweepId":"s1",
                         "emittedAt":"2026-11-26T12:00:00Z","state":"SUCCEEDED","attempt":1,"outcome":"won"}""",
                        "outcome", "reached-target"),
                arguments("reachedTargetAt zero", """
                        {"type":"RunStatusChanged","schemaVersion":1,"runId":"r1","sweepId":"s1",
                         "emittedAt":"2026-11-26T12:00:00Z","state":"SUCCEEDED","attempt":1,"outcome":"reached-target",
                         "reachedTargetAt":0}""", "reachedTargetAt", "between 1"));
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
    @MethodSource("invalidStudies")
    void invalidStudyIsRefusedNamingTheField(String why, String body, String field, String hint) {
        assertViolation(assertThrows(ValidationException.class,
                () -> EventJson.readSweepJson(body.getBytes(StandardCharsets.UTF_8))), field, hint);
        assertViolation(assertThrows(ValidationException.class,
                () -> EventJson.readSweepYaml(body.getBytes(StandardCharsets.UTF_8))), field, hint);
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

package dev.batchscope.scheduler.api;

import org.junit.jupiter.api.BeforeEach;
import dev.batchscope.scheduler.support.Ready;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.Topics;
import dev.batchscope.scheduler.support.TopicRecords;
import dev.batchscope.testing.KafkaBroker;
import dev.batchscope.testing.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every invalid sweep is refused with the right status code and a problem document that names the field at fault;
 * none of them publishes anything.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class BadSweepInputTest {
    @BeforeEach
    void serviceIsReady() {
        Ready.await();
    }

    private static final String BASE = """
            {"name": "base", "dataset": {"name": "synthetic-blobs", "samples": 512},
             "model": {"type": "mlp", "hidden": [16]}, "batchSizes": [16, 32], "seeds": [1],
             "learningRate": {"base": 0.05}, "budget": {"epochs": 1}}
            """;

    KafkaBroker broker;

    /** One invalid request: what it sends and the status and field it must get back. */
    record Case(String description, String contentType, String body, int status, String field) {
        @Override
        public String toString() {
            return description;
        }
    }

    static List<Case> invalidSweeps() {
        List<Case> cases = new ArrayList<>();
        cases.add(json("batch size zero", s -> batchSizes(s).set(0, 0), "batchSizes[0]"));
        cases.add(json("negative batch size", s -> batchSizes(s).set(1, -8), "batchSizes[1]"));
        cases.add(json("batch size 2^20 + 1", s -> batchSizes(s).set(0, (1 << 20) + 1), "batchSizes[0]"));
        cases.add(json("batch size neither number nor full", s -> batchSizes(s).set(0, "huge"), "batchSizes[0]"));
        cases.add(json("fractional batch size", s -> batchSizes(s).set(0, 16.5), "batchSizes[0]"));
        cases.add(json("duplicated batch size", s -> batchSizes(s).set(1, 16), "batchSizes[1]"));
        cases.add(json("duplicated full batch", s -> batchSizes(s).removeAll().add("full").add("FULL"), "batchSizes[1]"));
        cases.add(json("no batch sizes", s -> batchSizes(s).removeAll(), "batchSizes"));
        cases.add(json("batch sizes missing", s -> s.remove("batchSizes"), "batchSizes"));
        cases.add(json("more than 1000 runs", s -> {
            ArrayNode sizes = batchSizes(s).removeAll();
            for (int i = 1; i <= 11; i++) {
                sizes.add(i);
            }
            ArrayNode seeds = ((ObjectNode) s).putArray("seeds");
            for (int i = 0; i < 100; i++) {
                seeds.add(i);
            }
        }, "batchSizes"));
        cases.add(json("negative seed", s -> ((ObjectNode) s).putArray("seeds").add(-1), "seeds[0]"));
        cases.add(json("duplicated seed", s -> ((ObjectNode) s).putArray("seeds").add(3).add(3), "seeds[1]"));
        cases.add(json("name missing", s -> s.remove("name"), "name"));
        cases.add(json("name with spaces", s -> s.put("name", "my sweep"), "name"));
        cases.add(json("name of 65 characters", s -> s.put("name", "n".repeat(65)), "name"));
        cases.add(json("label injection in name", s -> s.put("name", "x\"} evil{a=\"b"), "name"));
        cases.add(json("control character in name", s -> s.put("name", "sweep\u0007"), "name"));
        cases.add(json("dataset missing", s -> s.remove("dataset"), "dataset"));
        cases.add(json("unknown dataset", s -> obj(s, "dataset").put("name", "mnist"), "dataset.name"));
        cases.add(json("dataset of one sample", s -> obj(s, "dataset").put("samples", 1), "dataset.samples"));
        cases.add(json("csv without a path", s -> obj(s, "dataset").put("name", "csv"), "dataset.path"));
        cases.add(json("unknown model type", s -> obj(s, "model").put("type", "transformer"), "model.type"));
        cases.add(json("hidden layer of width zero", s -> obj(s, "model").putArray("hidden").add(0), "model.hidden[0]"));
        cases.add(json("cnn on a non-image dataset", s -> {
            obj(s, "model").put("type", "cnn");
            obj(s, "model").remove("hidden");
        }, "model.type"));
        cases.add(json("unknown loss", s -> s.put("loss", "hinge"), "loss"));
        cases.add(json("cross-entropy on a regression dataset", s -> obj(s, "dataset").put("name", "synthetic-linear"), "loss"));
        cases.add(json("momentum out of range", s -> s.putObject("optimizer").put("type", "momentum").put("momentum", 1.5), "optimizer.momentum"));
        cases.add(json("negative learning rate", s -> obj(s, "learningRate").put("base", -0.1), "learningRate.base"));
        cases.add(json("learning rate as text", s -> obj(s, "learningRate").put("base", "fast"), "learningRate.base"));
        cases.add(json("unknown lr scaling", s -> obj(s, "learningRate").put("scaling", "cubic"), "learningRate.scaling"));
        cases.add(json("learning rate missing", s -> s.remove("learningRate"), "learningRate"));
        cases.add(json("zero epochs", s -> obj(s, "budget").put("epochs", 0), "budget.epochs"));
        cases.add(json("too many epochs", s -> obj(s, "budget").put("epochs", 5000), "budget.epochs"));
        cases.add(json("too many steps", s -> s.putObject("budget").put("steps", 100_000_000), "budget.steps"));
        cases.add(json("too many samples", s -> s.putObject("budget").put("samples", 20_000_000_000L), "budget.samples"));
        cases.add(json("two budgets at once", s -> obj(s, "budget").put("steps", 100), "budget"));
        cases.add(json("negative target loss", s -> s.put("targetLoss", -1), "targetLoss"));
        cases.add(json("one micro-batch", s -> s.putObject("noise").put("microBatches", 1), "noise.microBatches"));
        cases.add(json("unknown field", s -> s.put("batchsize", 32), "batchsize"));
        cases.add(json("unknown nested field", s -> obj(s, "model").put("layers", 3), "model.layers"));
        cases.add(json("csv at an absolute path", s -> obj(s, "dataset").put("name", "csv").put("path", "/etc/passwd"),
                "dataset.path"));
        cases.add(json("csv path climbing out with ..", s -> obj(s, "dataset").put("name", "csv")
                .put("path", "../../home/someone/secret.csv"), "dataset.path"));
        cases.add(new Case("duplicate key in JSON", "application/json",
                BASE.replace("\"batchSizes\": [16, 32]", "\"batchSizes\": [16], \"batchSizes\": [16, 32]"), 400, "batchSizes"));
        cases.add(new Case("duplicate nested key in YAML", "application/yaml",
                "name: y\nlearningRate: {base: 0.05, base: 0.5}\n", 400, "learningRate.base"));
        cases.add(new Case("truncated JSON", "application/json", BASE.substring(0, BASE.indexOf("\"dataset\"")), 400, "(body)"));
        cases.add(new Case("JSON truncated inside a value", "application/json", BASE.substring(0, 40), 400, "dataset.name"));
        cases.add(new Case("JSON body sent as YAML that is not a mapping", "application/yaml", "- just\n- a list\n", 400, "(body)"));
        cases.add(new Case("plain text", "text/plain", "please run my sweep", 400, "(body)"));
        cases.add(new Case("binary", "application/octet-stream", "\u0000\u0001\u0002\u00ff", 400, "(body)"));
        cases.add(new Case("empty body", "application/json", "", 400, "(body)"));
        cases.add(new Case("XML", "application/xml", "<sweep name=\"x\"/>", 400, "Content-Type"));
        cases.add(new Case("YAML with an unknown field", "application/yaml", "name: y\nbatchSizes: [16]\nepochs: 3\n", 400, "epochs"));
        return cases;
    }

    @Test
    void theBaseSpecOfTheTableIsAccepted() {
        // so that each case below is refused for its own change only
        given().contentType("application/json").body(BASE).post("/api/v1/sweeps").then().statusCode(201);
    }

    @Test
    void theTableHasAtLeastTwentyFiveDistinctCases() {
        List<Case> cases = invalidSweeps();
        assertTrue(cases.size() >= 25);
        assertEquals(cases.size(), cases.stream().map(c -> c.contentType() + c.body()).distinct().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSweeps")
    void invalidSweepIsRefusedNamingTheField(Case c) {
        long before = TopicRecords.endOffsetSum(broker, Topics.RUNS_REQUESTED);
        given().contentType(c.contentType()).body(c.body().getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/sweeps")
                .then().statusCode(c.status())
                .contentType("application/problem+json")
                .body("status", equalTo(c.status()))
                .body("violations.field", hasItem(c.field()))
                .body("violations.message", not(hasItem((String) null)));
        assertEquals(before, TopicRecords.endOffsetSum(broker, Topics.RUNS_REQUESTED), "nothing published");
    }

    @Test
    void aDuplicateKeyIsCalledOne() {
        String body = BASE.replace("\"seeds\": [1]", "\"seeds\": [1], \"seeds\": [2]");
        given().contentType("application/json").body(body)
                .post("/api/v1/sweeps").then().statusCode(400)
                .body("violations.field", hasItem("seeds"))
                .body("detail", containsString("seeds: duplicate key"));
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeParsing() {
        byte[] huge = ("{\"name\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json").body(huge).post("/api/v1/sweeps").then().statusCode(413);
    }

    @Test
    void everyViolationIsReportedNotOnlyTheFirst() {
        String body = BASE.replace("\"name\": \"base\"", "\"name\": \"bad name\"").replace("[16, 32]", "[0, 16]");
        given().contentType("application/json").body(body)
                .post("/api/v1/sweeps").then().statusCode(400)
                .body("violations.field", hasItem("name"))
                .body("violations.field", hasItem("batchSizes[0]"))
                .body("detail", containsString("batchSizes[0]"));
    }

    @Test
    void badPagingAndIdsAreRefusedNamingTheParameter() {
        given().get("/api/v1/sweeps?page=-1").then().statusCode(400).body("violations[0].field", equalTo("page"));
        given().get("/api/v1/sweeps?size=1000").then().statusCode(400).body("violations[0].field", equalTo("size"));
        given().get("/api/v1/sweeps?size=ten").then().statusCode(400).body("violations[0].field", equalTo("size"));
        given().get("/api/v1/sweeps/no%20such").then().statusCode(400).body("violations[0].field", equalTo("id"));
        given().get("/api/v1/sweeps/sw-unknown").then().statusCode(404).contentType("application/problem+json")
                .body("violations[0].field", equalTo("id"));
        given().delete("/api/v1/sweeps/sw-unknown").then().statusCode(404);
        given().contentType("application/json").header("Idempotency-Key", "k".repeat(200)).body(BASE)
                .post("/api/v1/sweeps").then().statusCode(400).body("violations[0].field", equalTo("Idempotency-Key"));
    }

    private static Case json(String description, Consumer<ObjectNode> change, String field) {
        try {
            ObjectNode spec = (ObjectNode) EventJson.mapper().readTree(BASE);
            change.accept(spec);
            return new Case(description, "application/json", EventJson.mapper().writeValueAsString(spec), 400, field);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ArrayNode batchSizes(JsonNode spec) {
        return (ArrayNode) spec.get("batchSizes");
    }

    private static ObjectNode obj(JsonNode spec, String field) {
        return (ObjectNode) spec.get(field);
    }
}

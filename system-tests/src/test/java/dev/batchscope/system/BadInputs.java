package dev.batchscope.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchscope.events.Topics;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.testing.SampleEvents;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bad-input corpus: what a careless or hostile client sends through each door of batchscope, and what it must get
 * back. REST and YAML: a status and the field named in the problem document. CLI flags: exit code 2 and a message
 * naming the option or field. Raw Kafka records: a DLQ record with the reason, and the consumer goes on.
 */
final class BadInputs {
    /** A valid sweep, the base of the REST and YAML cases, so that each case is refused for its own change only. */
    static final String SWEEP = Sweeps.SMALL.formatted("corpus");

    private BadInputs() {
    }

    enum Service { SCHEDULER, METRICS }

    /**
     * One HTTP request: {@code field} is what the problem document must name (null: the status alone says it).
     * {@code betweenFields}: the body breaks a rule that ties fields together, which only the validator states (the
     * published JSON Schema checks each field on its own).
     */
    record RestCase(String name, Service service, String method, String path, Map<String, String> headers,
                    String contentType, byte[] body, int status, String field, boolean betweenFields) {
        RestCase(String name, Service service, String method, String path, Map<String, String> headers,
                 String contentType, byte[] body, int status, String field) {
            this(name, service, method, path, headers, contentType, body, status, field, false);
        }

        @Override
        public String toString() {
            return "REST " + name;
        }
    }

    /** One command line; {@code mentions} is what its error message must name. */
    record CliCase(String name, List<String> args, String mentions) {
        @Override
        public String toString() {
            return "CLI " + name;
        }
    }

    /** One raw record; the DLQ record it becomes must give a reason that mentions {@code reasonMentions}. */
    record KafkaCase(String name, String topic, byte[] value, String reasonMentions) {
        @Override
        public String toString() {
            return "Kafka " + name + " on " + topic;
        }
    }

    static List<RestCase> rest() {
        List<RestCase> cases = new ArrayList<>();
        // JSON sweep specs
        cases.add(sweepText("truncated JSON", SWEEP.substring(0, SWEEP.indexOf("\"dataset\"")), "(body)"));
        cases.add(sweepText("truncated inside a string", SWEEP.substring(0, SWEEP.indexOf("synthetic") + 4), "dataset.name"));
        cases.add(sweepText("a JSON array", "[1, 2, 3]", "(body)"));
        cases.add(sweepText("JSON null", "null", "(body)"));
        cases.add(sweepText("empty body", "", "(body)"));
        cases.add(sweepText("nesting 5000 deep", "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "name"));
        cases.add(sweep("name as a number", s -> s.put("name", 42), "name"));
        cases.add(sweep("label injection in the name", s -> s.put("name", "x\"} evil{a=\"b"), "name"));
        cases.add(sweep("newline injection in the name", s -> s.put("name", "a\nbatchscope_fake 1"), "name"));
        cases.add(sweep("NUL in the name", s -> s.put("name", "a\u0000b"), "name"));
        cases.add(sweep("right-to-left override in the name", s -> s.put("name", "sweep\u202Egnp"), "name"));
        cases.add(sweep("Cyrillic name", s -> s.put("name", "партия"), "name"));
        cases.add(sweep("name of 10,000 characters", s -> s.put("name", "n".repeat(10_000)), "name"));
        cases.add(sweep("batch size as a word", s -> s.putArray("batchSizes").add("huge"), "batchSizes[0]"));
        cases.add(sweep("batch size 1e300", s -> s.putArray("batchSizes").add(1e300), "batchSizes[0]"));
        cases.add(sweep("batch size 2^63", s -> s.putArray("batchSizes").add(new java.math.BigInteger("9223372036854775808")), "batchSizes[0]"));
        cases.add(sweep("negative batch size", s -> s.putArray("batchSizes").add(-64), "batchSizes[0]"));
        cases.add(sweep("fractional batch size", s -> s.putArray("batchSizes").add(31.5), "batchSizes[0]"));
        cases.add(sweep("unknown model type", s -> ((ObjectNode) s.get("model")).put("type", "transformer"), "model.type"));
        cases.add(sweep("unknown loss", s -> s.put("loss", "hinge"), "loss"));
        cases.add(sweep("unknown optimizer", s -> s.putObject("optimizer").put("type", "rmsprop"), "optimizer.type"));
        cases.add(sweep("learning rate as text", s -> ((ObjectNode) s.get("learningRate")).put("base", "fast"), "learningRate.base"));
        cases.add(sweep("negative learning rate", s -> ((ObjectNode) s.get("learningRate")).put("base", -1), "learningRate.base"));
        cases.add(sweep("a billion epochs", s -> ((ObjectNode) s.get("budget")).put("epochs", 1_000_000_000), "budget.epochs"));
        cases.add(sweep("negative seed", s -> s.putArray("seeds").add(-3), "seeds[0]"));
        cases.add(sweep("unknown top-level field", s -> s.put("epochs", 3), "epochs"));
        cases.add(sweepText("NaN as a learning rate", SWEEP.replace("\"base\": 0.05", "\"base\": NaN"), "learningRate.base"));
        // the study's learning rates (protocol tuned); JSON has no NaN or Infinity: as text, or a number past a double
        cases.add(tuned("empty learning rate grid", rate -> rate.putArray("grid"), "learningRate.grid"));
        cases.add(tuned("zero learning rate in the grid", rate -> rate.putArray("grid").add(0.1).add(0), "learningRate.grid[1]"));
        cases.add(tuned("negative learning rate in the grid", rate -> rate.putArray("grid").add(-0.1), "learningRate.grid[0]"));
        cases.add(tuned("NaN as text in the grid", rate -> rate.putArray("grid").add(0.1).add("NaN"), "learningRate.grid[1]"));
        cases.add(sweepText("1e999 in the grid", json(tunedSpec(rate -> rate.putArray("grid").add(0.1).add(123.456)))
                .replace("123.456", "1e999"), "learningRate.grid[1]"));
        cases.add(tuned("negative search min", rate -> search(rate, -1, 1, 4), "learningRate.search.min"));
        cases.add(tuned("Infinity as text for the search max",
                rate -> search(rate, 0.01, 1, 4).put("max", "Infinity"), "learningRate.search.max"));
        cases.add(tuned("search count 0", rate -> search(rate, 0.01, 1, 0), "learningRate.search.count"));
        cases.add(tuned("search count over the limit", rate -> search(rate, 0.01, 1, 17), "learningRate.search.count"));
        RestCase minAboveMax = tuned("search min above max", rate -> search(rate, 1, 0.01, 4), "learningRate.search.min");
        cases.add(new RestCase(minAboveMax.name(), minAboveMax.service(), minAboveMax.method(), minAboveMax.path(),
                minAboveMax.headers(), minAboveMax.contentType(), minAboveMax.body(), minAboveMax.status(),
                minAboveMax.field(), true));
        // data files: below the trainer's data directories only
        cases.add(sweep("csv at an absolute path", s -> csv(s, "/etc/passwd"), "dataset.path"));
        cases.add(sweep("csv path climbing out with ..", s -> csv(s, "sets/../../../etc/passwd"), "dataset.path"));
        // a key given twice: which one counts differs from parser to parser, so none does
        cases.add(sweepText("duplicate key", SWEEP.replace("\"batchSizes\": [64],", "\"batchSizes\": [64], \"batchSizes\": [32],"),
                "batchSizes"));
        cases.add(new RestCase("10 MB body", Service.SCHEDULER, "POST", "/api/v1/sweeps", Map.of(), "application/json",
                ("{\"name\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8), 413, null));
        cases.add(new RestCase("XML body", Service.SCHEDULER, "POST", "/api/v1/sweeps", Map.of(), "application/xml",
                bytes("<sweep name=\"x\"/>"), 400, "Content-Type"));
        cases.add(new RestCase("over-long Idempotency-Key", Service.SCHEDULER, "POST", "/api/v1/sweeps",
                Map.of("Idempotency-Key", "k".repeat(300)), "application/json", bytes(SWEEP), 400, "Idempotency-Key"));
        // YAML sweep specs
        cases.add(yaml("YAML that is a list", "- a\n- b\n", "(body)"));
        cases.add(yaml("YAML with a tab indent", "name: y\ndataset:\n\tname: synthetic-blobs\n", "(body)"));
        cases.add(yaml("YAML alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                + "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "a"));
        cases.add(yaml("YAML with a Java type tag", "name: !!javax.script.ScriptEngineManager [x]\n", "name"));
        cases.add(yaml("YAML unknown scaling rule", yamlSweep().replace("base: 0.05", "base: 0.05\n  scaling: cubic"),
                "learningRate.scaling"));
        cases.add(yaml("YAML duplicated batch size", yamlSweep().replace("batchSizes: [64]", "batchSizes: [64, 64]"),
                "batchSizes[1]"));
        cases.add(yaml("YAML duplicate key", yamlSweep().replace("seeds: [1]", "seeds: [1]\nseeds: [2]"), "seeds"));
        cases.add(yaml("YAML batch sizes as text", yamlSweep().replace("batchSizes: [64]", "batchSizes: sixteen"),
                "batchSizes"));
        // query parameters and ids
        cases.add(get("negative page", Service.SCHEDULER, "/api/v1/sweeps?page=-1", 400, "page"));
        cases.add(get("page size as text", Service.SCHEDULER, "/api/v1/sweeps?size=ten", 400, "size"));
        cases.add(get("injected sweep id", Service.SCHEDULER, "/api/v1/sweeps/%22%7D%0Aevil", 400, "id"));
        cases.add(new RestCase("cancel of a malformed id", Service.SCHEDULER, "DELETE", "/api/v1/sweeps/no%20such",
                Map.of(), null, null, 400, "id"));
        cases.add(get("unknown series metric", Service.METRICS, "/api/v1/sweeps/sw-x/series?metric=bogus", 400, "metric"));
        cases.add(get("unknown x axis", Service.METRICS, "/api/v1/sweeps/sw-x/series?metric=train_loss&x=time", 400, "x"));
        cases.add(get("negative points", Service.METRICS, "/api/v1/sweeps/sw-x/series?metric=train_loss&points=-5", 400, "points"));
        cases.add(get("points beyond a long", Service.METRICS,
                "/api/v1/sweeps/sw-x/series?metric=train_loss&points=99999999999999999999", 400, "points"));
        cases.add(get("injection in the metric", Service.METRICS,
                "/api/v1/sweeps/sw-x/series?metric=train_loss%22%7D", 400, "metric"));
        cases.add(get("injected id on the summary", Service.METRICS, "/api/v1/sweeps/%7Bevil%7D/summary", 400, "id"));
        return cases;
    }

    static List<CliCase> cli() {
        List<String> base = List.of("sweep", "submit", "--dataset", "synthetic-blobs", "--model", "mlp", "--epochs", "1",
                "--lr", "0.05");
        List<CliCase> cases = new ArrayList<>();
        cases.add(submit("batch size zero", base, List.of("--batch-sizes", "0,16"), "batchSizes[0]"));
        cases.add(submit("batch size as a word", base, List.of("--batch-sizes", "sixteen"), "batchSizes[0]"));
        cases.add(submit("unknown dataset", replace(base, "synthetic-blobs", "imagenet"), List.of("--batch-sizes", "16"), "dataset.name"));
        cases.add(submit("unknown model", replace(base, "mlp", "transformer"), List.of("--batch-sizes", "16"), "model.type"));
        cases.add(submit("negative learning rate", replace(base, "0.05", "-1"), List.of("--batch-sizes", "16"), "learningRate.base"));
        cases.add(submit("learning rate as text", replace(base, "0.05", "fast"), List.of("--batch-sizes", "16"), "--lr"));
        cases.add(submit("unknown scaling rule", base, List.of("--batch-sizes", "16", "--lr-scaling", "cubic"), "learningRate.scaling"));
        cases.add(submit("zero epochs", replace(base, "1", "0"), List.of("--batch-sizes", "16"), "budget.epochs"));
        cases.add(submit("negative seed", base, List.of("--batch-sizes", "16", "--seeds", "-1"), "seeds[0]"));
        cases.add(submit("label injection in the name", base, List.of("--batch-sizes", "16", "--name", "x\"}"), "name"));
        List<String> tuned = List.of("sweep", "submit", "--dataset", "synthetic-blobs", "--model", "mlp", "--epochs", "1",
                "--batch-sizes", "16", "--protocol", "tuned", "--target-loss", "0.5");
        cases.add(submit("unknown protocol", tuned, List.of("--protocol", "adaptive", "--lr-grid", "0.1"), "--protocol for protocol"));
        cases.add(submit("grid in protocol fixed", base, List.of("--batch-sizes", "16", "--lr-grid", "0.1,0.3"),
                "--lr-grid for learningRate.grid"));
        cases.add(submit("NaN in the grid", tuned, List.of("--lr-grid", "0.1,NaN"), "--lr-grid for learningRate.grid[1]"));
        cases.add(submit("zero in the grid", tuned, List.of("--lr-grid", "0,0.1"), "--lr-grid for learningRate.grid[0]"));
        cases.add(submit("grid value as a word", tuned, List.of("--lr-grid", "0.1,fast"), "--lr-grid"));
        cases.add(submit("search without a count", tuned, List.of("--lr-search", "0.01:1"), "--lr-search"));
        cases.add(submit("search count 0", tuned, List.of("--lr-search", "0.01:1:0"), "--lr-search for learningRate.search.count"));
        cases.add(submit("search count over the limit", tuned, List.of("--lr-search", "0.01:1:17"),
                "--lr-search for learningRate.search.count"));
        cases.add(submit("search min above max", tuned, List.of("--lr-search", "1:0.01:4"),
                "--lr-search for learningRate.search.min"));
        cases.add(submit("search to Infinity", tuned, List.of("--lr-search", "0.01:Infinity:4"),
                "--lr-search for learningRate.search.max"));
        cases.add(submit("unknown pruning rule", tuned, List.of("--lr-grid", "0.1", "--pruning", "halving"),
                "--pruning for pruning.rule"));
        cases.add(submit("pruning margin as a word", tuned, List.of("--lr-grid", "0.1", "--pruning", "margin:wide"), "--pruning"));
        cases.add(submit("margin pruning without stopping at the target", tuned,
                List.of("--lr-grid", "0.1", "--no-stop-at-target", "--pruning", "margin:2"), "--pruning for pruning"));
        cases.add(new CliCase("unknown option", List.of("sweep", "submit", "--batchsize", "16"), "--batchsize"));
        cases.add(new CliCase("missing spec file", List.of("sweep", "submit", "-f", "target/no-such-sweep.yaml"), "no-such-sweep.yaml"));
        cases.add(new CliCase("negative page", List.of("sweep", "list", "--page", "-1"), "page"));
        cases.add(new CliCase("malformed sweep id", List.of("sweep", "show", "no such"), "id"));
        cases.add(new CliCase("unknown output format", List.of("--output", "xml", "sweep", "list"), "--output"));
        cases.add(new CliCase("watch interval zero", List.of("sweep", "watch", "sw-x", "--interval", "0"), "--interval"));
        return cases;
    }

    static List<KafkaCase> kafka() {
        List<KafkaCase> cases = new ArrayList<>();
        String requested = json(SampleEvents.runRequested());
        cases.add(new KafkaCase("truncated JSON", Topics.RUNS_REQUESTED, bytes(requested.substring(0, requested.length() / 2)), "end-of-input"));
        cases.add(new KafkaCase("binary garbage", Topics.RUNS_REQUESTED, new byte[]{0, 1, 2, (byte) 0xff, (byte) 0xfe}, "well-formed"));
        cases.add(new KafkaCase("empty value", Topics.RUNS_REQUESTED, new byte[0], "empty"));
        cases.add(event("future schema version", Topics.RUNS_REQUESTED, requested, e -> e.put("schemaVersion", 99), "schemaVersion"));
        cases.add(event("unknown event type", Topics.RUNS_REQUESTED, requested, e -> e.put("type", "RunExploded"), "type"));
        cases.add(event("batch size as a word", Topics.RUNS_REQUESTED, requested,
                e -> ((ObjectNode) e.get("run")).put("batchSize", "huge"), "run.batchSize"));
        cases.add(event("run spec missing", Topics.RUNS_REQUESTED, requested, e -> e.remove("run"), "run"));
        // a run request straight onto the topic, past the scheduler: the consumers' validator confines data paths too
        cases.add(event("absolute data path", Topics.RUNS_REQUESTED, requested,
                e -> ((ObjectNode) e.get("run")).putObject("dataset").put("name", "csv").put("path", "/etc/shadow"),
                "dataset.path"));
        String cancelled = json(SampleEvents.cancelled());
        cases.add(event("cancel without a run id", Topics.RUNS_CONTROL, cancelled, e -> e.remove("runId"), "runId"));
        String iteration = json(SampleEvents.iteration(3));
        cases.add(event("NaN loss", Topics.METRICS, iteration, e -> e.put("loss", "NaN"), "loss"));
        cases.add(event("negative iteration", Topics.METRICS, iteration, e -> e.put("iteration", -1), "iteration"));
        cases.add(event("label injection in the run id", Topics.METRICS, iteration, e -> e.put("runId", "r\"} x{y=\"1"), "runId"));
        cases.add(event("unknown field", Topics.METRICS, iteration, e -> e.put("secret", "x"), "secret"));
        cases.add(new KafkaCase("900 KB of whitespace", Topics.METRICS, bytes(" ".repeat(900 * 1024) + "{"), "well-formed"));
        // just under the broker's 1 MiB record limit (about 500 bytes to spare): with its reason and source headers
        // the dead letter is over 1 MiB, which
        // the DLQ producers (2 MiB, service-common) and the DLQ topic (2 MiB, TopicCatalog) must both allow
        cases.add(new KafkaCase("a record at the size limit", Topics.METRICS,
                bytes("{\"type\": \"" + "x".repeat(1_048_000) + "\""), "type"));
        String running = json(SampleEvents.running());
        cases.add(event("unknown run state", Topics.RUNS_STATUS, running, e -> e.put("state", "EXPLODED"), "state"));
        cases.add(event("status without a sweep id", Topics.RUNS_STATUS, running, e -> e.remove("sweepId"), "sweepId"));
        return cases;
    }

    private static String yamlSweep() {
        return """
                name: corpus-yaml
                dataset:
                  name: synthetic-blobs
                  samples: 512
                model:
                  type: mlp
                  hidden: [16]
                batchSizes: [64]
                seeds: [1]
                learningRate:
                  base: 0.05
                budget:
                  epochs: 1
                """;
    }

    private static RestCase sweep(String name, Consumer<ObjectNode> change, String field) {
        try {
            ObjectNode spec = (ObjectNode) EventJson.mapper().readTree(SWEEP);
            change.accept(spec);
            return sweepText(name, EventJson.mapper().writeValueAsString(spec), field);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The corpus's sweep as a tuned study, its learning rate set by {@code rate} (base removed). */
    private static ObjectNode tunedSpec(Consumer<ObjectNode> rate) {
        try {
            ObjectNode spec = (ObjectNode) EventJson.mapper().readTree(SWEEP);
            spec.put("protocol", "tuned").put("targetLoss", 1.0);
            ObjectNode learningRate = spec.putObject("learningRate");
            rate.accept(learningRate);
            return spec;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RestCase tuned(String name, Consumer<ObjectNode> rate, String field) {
        return sweepText(name, json(tunedSpec(rate)), field);
    }

    private static ObjectNode search(ObjectNode rate, double min, double max, int count) {
        return rate.putObject("search").put("min", min).put("max", max).put("count", count);
    }

    private static void csv(ObjectNode spec, String path) {
        spec.putObject("dataset").put("name", "csv").put("path", path);
        spec.putObject("model").put("type", "logreg");
    }

    private static RestCase sweepText(String name, String body, String field) {
        return new RestCase(name, Service.SCHEDULER, "POST", "/api/v1/sweeps", Map.of(), "application/json",
                bytes(body), 400, field);
    }

    private static RestCase yaml(String name, String body, String field) {
        return new RestCase(name, Service.SCHEDULER, "POST", "/api/v1/sweeps", Map.of(), "application/yaml",
                bytes(body), 400, field);
    }

    private static RestCase get(String name, Service service, String path, int status, String field) {
        return new RestCase(name, service, "GET", path, Map.of(), null, null, status, field);
    }

    private static CliCase submit(String name, List<String> base, List<String> extra, String mentions) {
        List<String> args = new ArrayList<>(base);
        args.addAll(extra);
        return new CliCase(name, args, mentions);
    }

    private static List<String> replace(List<String> args, String value, String with) {
        List<String> replaced = new ArrayList<>(args);
        replaced.set(replaced.indexOf(value), with);
        return replaced;
    }

    private static KafkaCase event(String name, String topic, String valid, Consumer<ObjectNode> change,
                                   String reasonMentions) {
        try {
            ObjectNode event = (ObjectNode) EventJson.mapper().readTree(valid);
            change.accept(event);
            return new KafkaCase(name, topic, EventJson.mapper().writeValueAsBytes(event), reasonMentions);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object event) {
        try {
            return EventJson.mapper().writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.batchscope.events.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.LearningRateSearch;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.PruningSpec;
import dev.batchscope.events.spec.SweepSpec;
import dev.batchscope.events.spec.WireEnum;
import dev.batchscope.events.validation.DataPathRule;
import dev.batchscope.events.validation.SpecValidator;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sweep spec's JSON Schema, generated from the records of {@code dev.batchscope.events.spec} (fields, types, enum
 * wire names, no unknown fields) with the ranges, required fields and patterns of {@link SpecValidator} added from
 * the table below. The schema checks a spec's shape and each field on its own; the rules that tie fields together
 * (exactly one budget, protocol tuned needs a grid or a search, cnn needs images...) are the validator's alone.
 * {@code SweepSpecSchemaTest} keeps {@code docs/sweep-spec.schema.json} equal to this and every range and required
 * field equal to what the validator does.
 */
final class SweepSpecSchema {
    static final String FILE = "docs/sweep-spec.schema.json";

    /** Fields the validator requires, as "Record.field". */
    private static final Set<String> REQUIRED = Set.of("SweepSpec.name", "SweepSpec.dataset", "SweepSpec.model",
            "SweepSpec.batchSizes", "SweepSpec.learningRate", "SweepSpec.budget", "DatasetSpec.name", "ModelSpec.type",
            "LearningRateSearch.min", "LearningRateSearch.max", "LearningRateSearch.count", "PruningSpec.rule");

    /** Ranges of numbers (and of an array's items, "Record.field[]"), inclusive; NaN for no bound. */
    private static final Map<String, double[]> RANGES = new HashMap<>();
    /** [min, max] items of arrays; a max of -1 is none. */
    private static final Map<String, int[]> ITEMS = new HashMap<>();
    private static final Set<String> UNIQUE_ITEMS = Set.of("SweepSpec.batchSizes", "SweepSpec.seeds",
            "LearningRateSpec.grid");

    static {
        range("SweepSpec.seeds[]", 0, Double.NaN);
        range("SweepSpec.targetLoss", 0, 1e6);
        range("DatasetSpec.samples", 2, SpecValidator.MAX_SAMPLES);
        range("DatasetSpec.validationFraction", 0, 0.9);
        range("DatasetSpec.features", 1, SpecValidator.MAX_FEATURES);
        range("DatasetSpec.classes", 2, 1000);
        range("DatasetSpec.noise", 0, 1e6);
        range("DatasetSpec.labelColumn", 0, SpecValidator.MAX_FEATURES);
        range("ModelSpec.hidden[]", 1, SpecValidator.MAX_LAYER_WIDTH);
        range("OptimizerSpec.momentum", 0, 0.999);
        range("LearningRateSpec.base", LearningRateSpec.MIN, LearningRateSpec.MAX);
        range("LearningRateSpec.baseBatchSize", 1, BatchSize.MAX);
        range("LearningRateSpec.grid[]", LearningRateSpec.MIN, LearningRateSpec.MAX);
        range("LearningRateSearch.min", LearningRateSpec.MIN, LearningRateSpec.MAX);
        range("LearningRateSearch.max", LearningRateSpec.MIN, LearningRateSpec.MAX);
        range("LearningRateSearch.count", LearningRateSearch.MIN_COUNT, LearningRateSearch.MAX_COUNT);
        range("WarmupSpec.iterations", 0, BudgetSpec.MAX_STEPS);
        range("WarmupSpec.epochs", 0, BudgetSpec.MAX_EPOCHS);
        range("BudgetSpec.epochs", 1, BudgetSpec.MAX_EPOCHS);
        range("BudgetSpec.samples", 1, BudgetSpec.MAX_SAMPLES);
        range("BudgetSpec.steps", 1, BudgetSpec.MAX_STEPS);
        range("NoiseSpec.every", 0, BudgetSpec.MAX_STEPS);
        range("NoiseSpec.microBatches", 2, SpecValidator.MAX_MICRO_BATCHES);
        range("ValidationSpec.everyIterations", 0, BudgetSpec.MAX_STEPS);
        range("CheckpointSpec.everyIterations", 0, BudgetSpec.MAX_STEPS);
        range("CheckpointSpec.everySeconds", 0, 86_400);
        range("PruningSpec.margin", PruningSpec.MIN_MARGIN, PruningSpec.MAX_MARGIN);
        ITEMS.put("SweepSpec.batchSizes", new int[]{1, -1});
        ITEMS.put("SweepSpec.seeds", new int[]{1, SpecValidator.MAX_SEEDS});
        ITEMS.put("ModelSpec.hidden", new int[]{0, SpecValidator.MAX_HIDDEN_LAYERS});
        ITEMS.put("LearningRateSpec.grid", new int[]{1, LearningRateSpec.MAX_GRID});
    }

    private SweepSpecSchema() {
    }

    private static void range(String field, double min, double max) {
        RANGES.put(field, new double[]{min, max});
    }

    static ObjectNode generate() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.INLINE_ALL_SCHEMAS);
        config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
            Class<?> erased = type.getErasedType();
            if (erased == BatchSize.class) {
                return new CustomDefinition(batchSize(), CustomDefinition.INLINE_DEFINITION,
                        CustomDefinition.INCLUDING_ATTRIBUTES);
            }
            if (erased.isEnum() && WireEnum.class.isAssignableFrom(erased)) {
                ObjectNode node = JsonNodeFactory.instance.objectNode().put("type", "string");
                ArrayNode values = node.putArray("enum");
                WireEnum.allowed(erased).forEach(values::add);
                return new CustomDefinition(node, CustomDefinition.INLINE_DEFINITION, CustomDefinition.INCLUDING_ATTRIBUTES);
            }
            return null;
        });
        config.forFields()
                .withRequiredCheck(field -> REQUIRED.contains(key(field)))
                .withNumberInclusiveMinimumResolver(field -> bound(field, 0))
                .withNumberInclusiveMaximumResolver(field -> bound(field, 1))
                .withArrayMinItemsResolver(field -> items(field, 0))
                .withArrayMaxItemsResolver(field -> items(field, 1))
                .withArrayUniqueItemsResolver(field -> field.isFakeContainerItemScope() ? null
                        : UNIQUE_ITEMS.contains(key(field)) ? Boolean.TRUE : null)
                .withStringPatternResolver(SweepSpecSchema::pattern)
                .withStringMinLengthResolver(field -> key(field).equals("DatasetSpec.path") ? 1 : null)
                .withStringMaxLengthResolver(field -> key(field).equals("DatasetSpec.path") ? 4096 : null);
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(SweepSpec.class);
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        head.set("$schema", schema.remove("$schema"));
        head.put("title", "batchscope sweep spec");
        head.put("description", "A batch-size sweep (docs/design.md#5-the-sweep-spec), for editors: field names, types,"
                + " allowed values and ranges. `batchscope sweep validate` checks everything, the rules between fields"
                + " too. Generated from the spec records by events' SweepSpecSchemaTest; do not edit by hand.");
        head.setAll(schema);
        // a budget is exactly one of epochs, samples or steps
        ObjectNode budget = (ObjectNode) head.path("properties").path("budget");
        budget.put("minProperties", 1).put("maxProperties", 1);
        return head;
    }

    /** A positive integer up to {@link BatchSize#MAX}, or "full". */
    private static ObjectNode batchSize() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode oneOf = node.putArray("oneOf");
        oneOf.addObject().put("type", "integer").put("minimum", 1).put("maximum", BatchSize.MAX);
        oneOf.addObject().put("const", BatchSize.FULL_WIRE);
        return node;
    }

    /** The name's alphabet, and a dataset path that stays under the trainer's data directories. */
    private static String pattern(FieldScope field) {
        if (field.isFakeContainerItemScope()) {
            return null;
        }
        return switch (key(field)) {
            case "SweepSpec.name" -> "^" + SpecValidator.NAME.pattern() + "$";
            case "DatasetSpec.path" -> DataPathRule.PATTERN;
            default -> null;
        };
    }

    private static String key(FieldScope field) {
        return field.getDeclaringType().getErasedType().getSimpleName() + "." + field.getName();
    }

    private static BigDecimal bound(FieldScope field, int which) {
        double[] range = RANGES.get(key(field) + (field.isFakeContainerItemScope() ? "[]" : ""));
        if (range == null) {
            return null;
        }
        double value = range[which];
        if (Double.isNaN(value)) {
            return null;
        }
        return value == Math.rint(value) && Math.abs(value) < 1e18 ? BigDecimal.valueOf((long) value)
                : BigDecimal.valueOf(value);
    }

    private static Integer items(FieldScope field, int which) {
        int[] items = field.isFakeContainerItemScope() ? null : ITEMS.get(key(field));
        return items == null || items[which] < 0 ? null : items[which];
    }
}

package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchscope.events.json.EventJson;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.RunSize;
import dev.batchscope.events.spec.RunSpec;

import java.io.IOException;

/**
 * A run's budget in iterations, for the progress bar. The metrics-service's own figure wins when it has one;
 * otherwise it comes from the run's spec by the trainer's rules ({@link RunSize}): exact for Fashion-MNIST, synthetic
 * data and step budgets, unknown where only the data can tell (csv, cifar-10 by epochs).
 */
final class RunBudget {
    private RunBudget() {
    }

    /**
     * @param run         a run of the scheduler's sweep JSON: its {@code spec}, {@code batchSize} and, once a trainer
     *                    has it, {@code effectiveBatchSize}
     * @param fromMetrics the metrics-service's budget of the run, or null
     */
    static Long iterations(JsonNode run, Long fromMetrics) {
        if (fromMetrics != null && fromMetrics > 0) {
            return fromMetrics;
        }
        RunSpec spec = spec(run);
        if (spec == null) {
            return null;
        }
        RunSize size = RunSize.fromSpec(spec);
        if (size.steps() == null && run.path("effectiveBatchSize").isNumber() && size.trainExamples() == null) {
            // a trainer has resolved the batch: enough for a samples budget even where the data decides the split
            size = RunSize.fromSpec(spec.withBatchSize(BatchSize.of(run.path("effectiveBatchSize").asInt())));
        }
        return size.steps();
    }

    /** Epochs of the budget, when it is given in epochs. */
    static Long epochs(JsonNode run) {
        JsonNode epochs = run.path("spec").path("budget").path("epochs");
        return epochs.isNumber() ? epochs.asLong() : null;
    }

    /** The run's spec with its batch size; null when the JSON does not hold a readable one. */
    private static RunSpec spec(JsonNode run) {
        try {
            RunSpec spec = EventJson.mapper().treeToValue(run.path("spec"), RunSpec.class);
            JsonNode requested = run.path("batchSize");
            if (spec == null || (spec.batchSize() == null && requested.isMissingNode())) {
                return null;
            }
            return spec.batchSize() != null ? spec : spec.withBatchSize(BatchSize.parse(
                    requested.isNumber() ? (Object) requested.asLong() : requested.asText()));
        } catch (IOException | IllegalArgumentException unreadable) {
            // a newer scheduler's spec, or none: the metrics-service's figure is the only one
            return null;
        }
    }
}

package dev.batchscope.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A run's budget in iterations, for the progress bar. The metrics-service's own figure wins when it has one;
 * otherwise it is worked out from the run's spec: exact for a step budget, an estimate from the dataset's training
 * size for epochs and samples (the trainer decides the last partial batch and the validation split).
 */
final class RunBudget {
    private static final double DEFAULT_VALIDATION_FRACTION = 0.1;

    private RunBudget() {
    }

    static Long iterations(JsonNode run, Long fromMetrics) {
        if (fromMetrics != null && fromMetrics > 0) {
            return fromMetrics;
        }
        JsonNode spec = run.path("spec");
        JsonNode budget = spec.path("budget");
        if (budget.path("steps").isNumber()) {
            return budget.path("steps").asLong();
        }
        Long train = trainExamples(spec.path("dataset"));
        Long batch = batchSize(run, train);
        if (batch == null || batch <= 0) {
            return null;
        }
        if (budget.path("samples").isNumber()) {
            return ceilDiv(budget.path("samples").asLong(), batch);
        }
        if (budget.path("epochs").isNumber() && train != null) {
            return budget.path("epochs").asLong() * ceilDiv(train, batch);
        }
        return null;
    }

    /** Epochs of the budget, when it is given in epochs. */
    static Long epochs(JsonNode run) {
        JsonNode epochs = run.path("spec").path("budget").path("epochs");
        return epochs.isNumber() ? epochs.asLong() : null;
    }

    private static Long batchSize(JsonNode run, Long train) {
        if (run.path("effectiveBatchSize").isNumber()) {
            return run.path("effectiveBatchSize").asLong();
        }
        JsonNode requested = run.path("batchSize");
        if (requested.isNumber()) {
            return requested.asLong();
        }
        return "full".equals(requested.asText()) ? train : null;
    }

    private static Long trainExamples(JsonNode dataset) {
        String name = dataset.path("name").asText("");
        Long samples = dataset.path("samples").isNumber() ? dataset.path("samples").asLong() : null;
        double validation = dataset.path("validationFraction").isNumber()
                ? dataset.path("validationFraction").asDouble() : DEFAULT_VALIDATION_FRACTION;
        switch (name) {
            case "fashion-mnist":
                return samples != null ? samples : 60_000L;
            case "cifar-10":
                return samples != null ? samples : 50_000L;
            case "synthetic-linear":
            case "synthetic-blobs":
            case "csv":
                return samples == null ? null : (long) Math.floor(samples * (1 - validation));
            default:
                return samples;
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

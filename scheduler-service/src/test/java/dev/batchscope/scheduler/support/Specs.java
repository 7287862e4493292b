package dev.batchscope.scheduler.support;

/** Sweep specs that tests submit. */
public final class Specs {
    /** The textbook sweep on a small synthetic dataset: 6 batch sizes x 2 seeds = 12 runs. */
    public static final String TEXTBOOK_YAML = """
            name: textbook
            dataset:
              name: synthetic-blobs
              samples: 2048
            model:
              type: mlp
              hidden: [32, 16]
            batchSizes: [16, 32, 64, 128, 256, full]
            seeds: [1, 2]
            learningRate:
              base: 0.05
              scaling: linear
              baseBatchSize: 32
            budget:
              epochs: 3
            targetLoss: 0.4
            """;

    /**
     * A tuned study: batch sizes 16 and 64 x learning rates 0.03, 0.1, 0.3 x seed 1 = 6 runs, in that order;
     * stopAtTarget and pruning margin 1.5 by default.
     */
    public static String tuned(String name, String pruning) {
        return """
                {"name": "%s", "protocol": "tuned", "dataset": {"name": "synthetic-blobs", "samples": 512},
                 "model": {"type": "mlp", "hidden": [16]}, "batchSizes": [16, 64],
                 "learningRate": {"grid": [0.3, 0.03, 0.1], "scaling": "linear", "baseBatchSize": 16},
                 "budget": {"steps": 500}, "targetLoss": 0.5%s}
                """.formatted(name, pruning == null ? "" : ", \"pruning\": " + pruning);
    }

    public static String small(String name) {
        return """
                {"name": "%s", "dataset": {"name": "synthetic-blobs", "samples": 512},
                 "model": {"type": "mlp", "hidden": [16]}, "batchSizes": [16, 32, 64], "seeds": [7],
                 "learningRate": {"base": 0.1}, "budget": {"steps": 50}}
                """.formatted(name);
    }

    private Specs() {
    }
}

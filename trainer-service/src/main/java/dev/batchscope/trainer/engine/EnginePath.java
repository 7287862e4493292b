package dev.batchscope.trainer.engine;

/**
 * Which implementation computes a run's steps. Both start from the same DL4J network (same seed, same weights), share
 * its parameters, updater state, validation and checkpoints, and follow the same trajectory up to float rounding.
 */
public enum EnginePath {
    /** The dense path when it covers the model (mlp, linear, logreg), DL4J's otherwise (cnn). The default. */
    AUTO,
    /**
     * The lean dense path: BLAS products and plain loops on buffers allocated once, gradient noise from per-example
     * norms. Refused (TrainingException) for a model it does not cover.
     */
    DENSE,
    /** DL4J's own gradient and updater calls for every model; gradient noise from k micro-batches. */
    DL4J
}

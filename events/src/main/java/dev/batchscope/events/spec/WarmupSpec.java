package dev.batchscope.events.spec;

/** Linear learning-rate warmup from zero, over iterations or over epochs (at most one of them). */
public record WarmupSpec(Integer iterations, Integer epochs) {
    public static final WarmupSpec NONE = new WarmupSpec(0, 0);

    public WarmupSpec {
        iterations = iterations == null ? 0 : iterations;
        epochs = epochs == null ? 0 : epochs;
    }
}

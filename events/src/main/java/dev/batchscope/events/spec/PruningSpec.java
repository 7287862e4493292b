package dev.batchscope.events.spec;

/**
 * Early stopping of the runs that can no longer win (docs/design.md#7-the-batch-size-study).
 *
 * @param rule   none or margin
 * @param margin with rule margin: once a run of the same batch size and seed reached the target in t* steps, the
 *               others stop at ceil(margin x t*) steps; {@value #DEFAULT_MARGIN} by default
 */
public record PruningSpec(PruningRule rule, Double margin) {
    public static final double DEFAULT_MARGIN = 1.5;
    public static final double MIN_MARGIN = 1.0;
    public static final double MAX_MARGIN = 10.0;
    public static final PruningSpec NONE = new PruningSpec(PruningRule.NONE, null);
    public static final PruningSpec DEFAULT_MARGIN_RULE = new PruningSpec(PruningRule.MARGIN, DEFAULT_MARGIN);

    public PruningSpec {
        margin = margin == null && rule == PruningRule.MARGIN ? Double.valueOf(DEFAULT_MARGIN) : margin;
    }

    public boolean prunes() {
        return rule == PruningRule.MARGIN;
    }

    /** The step cap for the other runs once the best run of their group reached the target at {@code best} steps. */
    public long capFor(long best) {
        return (long) Math.ceil(margin * best);
    }
}

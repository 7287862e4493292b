package dev.batchscope.events.spec;

/**
 * The gradient-noise measurement (docs/design.md#6-gradient-noise).
 *
 * @param every        measure on every N-th iteration; 0 turns it off
 * @param microBatches k, the number of equal micro-batches the batch is split into
 */
public record NoiseSpec(Integer every, Integer microBatches) {
    public static final NoiseSpec DEFAULT = new NoiseSpec(10, 4);
    public static final NoiseSpec OFF = new NoiseSpec(0, 4);

    public NoiseSpec {
        every = every == null ? DEFAULT.every : every;
        microBatches = microBatches == null ? 4 : microBatches;
    }

    public boolean measuresAt(long iteration) {
        return every > 0 && iteration % every == 0;
    }
}

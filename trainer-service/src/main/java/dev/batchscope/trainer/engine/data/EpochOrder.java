package dev.batchscope.trainer.engine.data;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the training rows: a permutation drawn from the run's seed and the
 * epoch number alone. It needs no state of its own, so a checkpoint only records the position (epoch and
 * batch within it) and a resumed run sees exactly the batches the interrupted one would have seen.
 */
public final class EpochOrder {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private EpochOrder() {
    }

    /** The row order of epoch {@code epoch} (0-based). */
    public static int[] permutation(long seed, long epoch, int rows) {
        return shuffled(rows, new SplittableRandom(seed * GOLDEN + epoch));
    }

    /** 0 .. rows-1 in the order a Fisher-Yates shuffle with {@code random} leaves them. */
    static int[] shuffled(int rows, SplittableRandom random) {
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.TrainingSplit;

import java.util.SplittableRandom;

/**
 * Splits rows into train and validation for datasets without a test split. The split uses a fixed seed,
 * not the run's: every run of a sweep (any batch size, any seed) holds out the same rows.
 */
final class Holdout {
    static final long SPLIT_SEED = 0x5eed_ba7c_5c0beL;

    private Holdout() {
    }

    /** Row indices: the first {@code validation} of the returned order are held out, the rest train. */
    static int[] order(int rows) {
        return EpochOrder.shuffled(rows, new SplittableRandom(SPLIT_SEED));
    }

    /** How many rows to hold out: events' rule, which the CLI uses to tell a run's size without the data. */
    static int validationRows(int rows, double fraction) {
        return TrainingSplit.heldOut(rows, fraction);
    }
}

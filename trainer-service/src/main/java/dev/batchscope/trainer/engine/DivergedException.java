package dev.batchscope.trainer.engine;

/**
 * The loss or the gradient became NaN or infinite: the learning rate is too high for this batch size. A result of the
 * study, not a failure: the run ends DIVERGED.
 */
public class DivergedException extends TrainingException {
    private final long iteration;

    public DivergedException(String reason, long iteration) {
        super(reason);
        this.iteration = iteration;
    }

    /** The iteration whose loss or gradient was not finite. */
    public long iteration() {
        return iteration;
    }
}

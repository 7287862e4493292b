package dev.batchscope.events.spec;

import java.util.OptionalInt;

/**
 * How much a run trains, by the trainer's rules: examples per step, steps and samples. The trainer works it out from
 * the data it loaded ({@link #of}); the CLI from the spec alone ({@link #fromSpec}), where parts may stay unknown.
 *
 * @param trainExamples the training split's size; null when only the data can tell
 * @param batchSize     examples per step, {@code "full"} resolved; null when unknown
 * @param steps         optimizer steps of the whole run; null when unknown
 */
public record RunSize(Integer trainExamples, Integer batchSize, Long steps) {

    /** The size of a run whose training split has {@code trainExamples} examples. */
    public static RunSize of(RunSpec run, int trainExamples) {
        int batch = run.batchSize().resolve(trainExamples);
        if (batch < 1 || run.budget() == null) {
            return new RunSize(trainExamples, batch < 1 ? null : batch, null);
        }
        return new RunSize(trainExamples, batch,
                run.budget().totalSteps(BudgetSpec.stepsPerEpoch(trainExamples, batch), batch));
    }

    /** What the spec alone tells: all of it for Fashion-MNIST and synthetic data, less for csv and cifar-10. */
    public static RunSize fromSpec(RunSpec run) {
        OptionalInt known = TrainingSplit.trainExamples(run.dataset());
        if (known.isPresent()) {
            return of(run, known.getAsInt());
        }
        Integer batch = run.batchSize().isFull() ? null : run.batchSize().size();
        BudgetSpec budget = run.budget();
        if (budget == null) {
            return new RunSize(null, batch, null);
        }
        Long steps = budget.steps() != null ? Long.valueOf(budget.steps())
                : budget.samples() != null && batch != null ? budget.totalSteps(0, batch) : null;
        return new RunSize(null, batch, steps);
    }

    /** Examples the run sees in all; null when unknown. */
    public Long samples() {
        return steps == null || batchSize == null ? null : steps * batchSize;
    }

    /** The batch is larger than the training split: the trainer refuses such a run. */
    public boolean batchTooLarge() {
        return trainExamples != null && batchSize != null && batchSize > trainExamples;
    }
}

package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.trainer.engine.TrainingException;

/** Loads the dataset a run names. Synthetic data comes from the run's seed; file data from {@link DataLocations}. */
public final class DatasetLoader {
    private final DataLocations locations;

    public DatasetLoader(DataLocations locations) {
        this.locations = locations;
    }

    public static DatasetLoader standard() {
        return new DatasetLoader(DataLocations.standard());
    }

    public DataLocations locations() {
        return locations;
    }

    public Dataset load(DatasetSpec spec, long seed) {
        if (spec == null || spec.name() == null) {
            throw new TrainingException("dataset.name: is required");
        }
        return switch (spec.name()) {
            case FASHION_MNIST -> FashionMnist.load(locations, spec.samples());
            case CIFAR_10 -> Cifar10.load(locations, spec);
            case CSV -> CsvData.load(locations, spec);
            case SYNTHETIC_LINEAR -> SyntheticLinear.generate(spec, seed).toDataset(spec.validationFraction());
            case SYNTHETIC_BLOBS -> SyntheticBlobs.generate(spec, seed);
        };
    }
}

package dev.batchscope.events.spec;

/**
 * Which data a run trains on.
 *
 * @param name               the dataset
 * @param samples            training examples to use: a subset of a file dataset, or the size of a synthetic one
 * @param validationFraction share of the examples held out for validation where the dataset has no test split
 * @param features           input dimension of a synthetic dataset
 * @param classes            number of classes of synthetic-blobs
 * @param noise              label noise sigma of synthetic-linear, cluster spread of synthetic-blobs
 * @param path               file or directory of csv and cifar-10 data
 * @param labelColumn        the label column of a csv file (0-based)
 */
public record DatasetSpec(
        DatasetKind name,
        Integer samples,
        Double validationFraction,
        Integer features,
        Integer classes,
        Double noise,
        String path,
        Integer labelColumn) {

    public DatasetSpec {
        validationFraction = validationFraction == null ? 0.1 : validationFraction;
        if (name == DatasetKind.SYNTHETIC_LINEAR || name == DatasetKind.SYNTHETIC_BLOBS) {
            samples = samples == null ? 4096 : samples;
            features = features == null ? 16 : features;
            noise = noise == null ? 1.0 : noise;
        }
        if (name == DatasetKind.SYNTHETIC_BLOBS) {
            classes = classes == null ? 4 : classes;
        }
        if (name == DatasetKind.CSV) {
            labelColumn = labelColumn == null ? 0 : labelColumn;
        }
    }

    public static DatasetSpec of(DatasetKind name) {
        return new DatasetSpec(name, null, null, null, null, null, null, null);
    }
}

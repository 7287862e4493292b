package dev.batchscope.trainer.engine.data;

import dev.batchscope.trainer.engine.DataException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.List;

/**
 * Fashion-MNIST from its four IDX files. The official test file is the validation split, so every run of a
 * sweep validates on the same 10,000 images; {@code dataset.samples} keeps the first N training images.
 */
final class FashionMnist {
    static final String NAME = "fashion-mnist";
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    static final int CLASSES = 10;
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private FashionMnist() {
    }

    static Dataset load(DataLocations locations, Integer samples) {
        Path dir = locations.findDirectoryWith(NAME, FILES).orElseThrow(() -> new DataException(
                "dataset.name: fashion-mnist files " + FILES + " were not found in " + locations.roots()
                        + " (each searched directly and in a fashion-mnist/ subfolder); install the Debian package"
                        + " dataset-fashion-mnist or set " + DataLocations.DATA_DIR_ENV));
        // the two splits decompress on two threads: gunzip is most of the time and the files are independent
        CompletableFuture<Split> testSplit = CompletableFuture.supplyAsync(
                () -> split(dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), null));
        Split train = split(dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), samples);
        Split test = joinSplit(testSplit);
        int side = 28;
        return new Dataset(NAME, train.images, train.labels, test.images, test.labels, CLASSES, true,
                new Dataset.ImageShape(1, side, side));
    }

    private record Split(INDArray images, INDArray labels) {
    }

    private static Split joinSplit(CompletableFuture<Split> split) {
        try {
            return split.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Decodes one split straight into native memory: the images file streams into the features matrix, chunk by
     * chunk, and the labels are checked as they are read.
     */
    private static Split split(Path imagesFile, Path labelsFile, Integer limit) {
        try (IdxFile images = IdxFile.open(imagesFile); IdxFile labels = IdxFile.open(labelsFile)) {
            if (images.dims().length != 3 || labels.dims().length != 1 || images.items() != labels.items()) {
                throw new DataException(imagesFile + " and " + labelsFile + " do not match: "
                        + images.items() + " images, " + labels.items() + " labels");
            }
            int n = limit == null ? images.items() : Math.min(limit, images.items());
            int pixels = images.itemSize();
            ArrayBuilders.requireFits(NAME, n, pixels);
            INDArray features = Nd4j.createUninitialized(DataType.FLOAT, n, pixels);
            images.readScaled(features.data().asNioFloat(), (long) n * pixels, 255f);
            // written through the host buffer: on the CUDA backend the device copy must be refreshed from it
            Nd4j.getAffinityManager().tagLocation(features, AffinityManager.Location.HOST);
            int[] classes = labels.readUnsigned(n);
            for (int i = 0; i < n; i++) {
                if (classes[i] >= CLASSES) {
                    throw new DataException(labelsFile + " has label " + classes[i] + " at item " + i
                            + "; expected 0-9");
                }
            }
            return new Split(features, ArrayBuilders.oneHot(classes, CLASSES));
        }
    }
}

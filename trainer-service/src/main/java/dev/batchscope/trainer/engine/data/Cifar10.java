package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.trainer.engine.DataException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CIFAR-10 in its binary format: records of one label byte and 3,072 pixel bytes (1,024 red, then green,
 * then blue, each 32x32 row by row), in {@code data_batch_1.bin}..{@code data_batch_5.bin} and
 * {@code test_batch.bin}. The test batch is the validation split when present; otherwise a fixed holdout.
 */
final class Cifar10 {
    static final String NAME = "cifar-10";
    static final int SIDE = 32;
    static final int CHANNELS = 3;
    static final int PIXELS = SIDE * SIDE * CHANNELS;
    static final int RECORD = 1 + PIXELS;
    static final int CLASSES = 10;
    static final String TEST_BATCH = "test_batch.bin";

    private Cifar10() {
    }

    static Dataset load(DataLocations locations, DatasetSpec spec) {
        Path dir = locations.resolveUserPath("dataset.path", spec.path());
        if (!Files.isDirectory(dir)) {
            throw new DataException("dataset.path: " + spec.path() + " must be the directory that holds data_batch_1.bin");
        }
        List<Path> trainFiles = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path file = dir.resolve("data_batch_" + i + ".bin");
            if (Files.isRegularFile(file)) {
                trainFiles.add(file);
            }
        }
        if (trainFiles.isEmpty()) {
            throw new DataException("dataset.path: no data_batch_N.bin files in " + dir);
        }
        Records train = read(trainFiles);
        Path testFile = dir.resolve(TEST_BATCH);
        Records validation;
        if (Files.isRegularFile(testFile)) {
            validation = read(List.of(testFile));
        } else {
            int[] order = Holdout.order(train.count());
            int held = Holdout.validationRows(train.count(), spec.validationFraction());
            validation = train.select(order, 0, held);
            train = train.select(order, held, train.count());
        }
        if (spec.samples() != null && spec.samples() < train.count()) {
            train = train.first(spec.samples());
        }
        return new Dataset(NAME, train.features(), train.labels(), validation.features(), validation.labels(),
                CLASSES, true, new Dataset.ImageShape(CHANNELS, SIDE, SIDE));
    }

    private record Records(byte[] pixels, int[] classes) {
        int count() {
            return classes.length;
        }

        Records select(int[] order, int from, int to) {
            byte[] p = new byte[(to - from) * PIXELS];
            int[] c = new int[to - from];
            for (int i = from; i < to; i++) {
                System.arraycopy(pixels, order[i] * PIXELS, p, (i - from) * PIXELS, PIXELS);
                c[i - from] = classes[order[i]];
            }
            return new Records(p, c);
        }

        Records first(int n) {
            byte[] p = new byte[n * PIXELS];
            System.arraycopy(pixels, 0, p, 0, p.length);
            return new Records(p, Arrays.copyOf(classes, n));
        }

        INDArray features() {
            float[] values = new float[pixels.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (pixels[i] & 0xff) / 255f;
            }
            return ArrayBuilders.matrix(values, count(), PIXELS);
        }

        INDArray labels() {
            return ArrayBuilders.oneHot(classes, CLASSES);
        }
    }

    private static Records read(List<Path> files) {
        List<byte[]> contents = new ArrayList<>();
        int total = 0;
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (bytes.length == 0 || bytes.length % RECORD != 0) {
                throw new DataException(file + " is " + bytes.length + " bytes; a CIFAR-10 binary file holds"
                        + " records of " + RECORD + " bytes");
            }
            contents.add(bytes);
            total += bytes.length / RECORD;
        }
        byte[] pixels = new byte[total * PIXELS];
        int[] classes = new int[total];
        int row = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int at = 0; at < bytes.length; at += RECORD, row++) {
                int label = bytes[at] & 0xff;
                if (label >= CLASSES) {
                    throw new DataException(files.get(f) + " has label " + label + " in record " + (at / RECORD)
                            + "; CIFAR-10 labels are 0-9");
                }
                classes[row] = label;
                System.arraycopy(bytes, at + 1, pixels, row * PIXELS, PIXELS);
            }
        }
        return new Records(pixels, classes);
    }
}

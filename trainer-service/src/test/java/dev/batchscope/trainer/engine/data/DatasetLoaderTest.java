package dev.batchscope.trainer.engine.data;

import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.trainer.engine.TrainingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLoaderTest {
    @Test
    void cifarBinaryRecordsBecomeChannelFirstRowsAndTheTestBatchValidates(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), cifarRecords(6, 0));
        Files.write(dir.resolve("data_batch_2.bin"), cifarRecords(4, 6));
        Files.write(dir.resolve("test_batch.bin"), cifarRecords(3, 100));
        DatasetSpec spec = new DatasetSpec(DatasetKind.CIFAR_10, 8, null, null, null, null, ".", null);

        Dataset data = new DatasetLoader(new DataLocations(List.of(dir))).load(spec, 1);

        assertEquals(8, data.trainSize(), "dataset.samples keeps the first 8 of 10 training records");
        assertEquals(3, data.validationSize());
        assertEquals(3072, data.features());
        assertEquals(new Dataset.ImageShape(3, 32, 32), data.image());
        // record r has label r % 10 and pixel p = (r + p) % 256; green starts at 1024, blue at 2048
        for (int r : new int[]{0, 7}) {
            assertEquals(r % 10, data.trainLabels().getRow(r).argMax().getInt(0));
            assertEquals(((r + 1024) % 256) / 255f, data.trainFeatures().getFloat(r, 1024), 1e-7);
            assertEquals(((r + 3071) % 256) / 255f, data.trainFeatures().getFloat(r, 3071), 1e-7);
        }
        assertEquals(100 % 10, data.validationLabels().getRow(0).argMax().getInt(0));
    }

    @Test
    void cifarWithoutDataBatchesFailsWithTheDirectory(@TempDir Path dir) {
        DatasetSpec spec = new DatasetSpec(DatasetKind.CIFAR_10, null, null, null, null, null, ".", null);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new DatasetLoader(new DataLocations(List.of(dir))).load(spec, 1));
        assertTrue(e.getMessage().startsWith("dataset.path: no data_batch_N.bin files in"), e.getMessage());
    }

    @Test
    void csvWithHeaderAndLabelColumnSplitsTheSameWayForEverySeed(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 50; i++) {
            csv.append(i).append(',').append(i * 0.5).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        DatasetSpec spec = new DatasetSpec(DatasetKind.CSV, null, 0.2, null, null, null, "data.csv", 2);
        DatasetLoader loader = new DatasetLoader(new DataLocations(List.of(dir)));

        Dataset a = loader.load(spec, 1);
        Dataset b = loader.load(spec, 2);
        assertEquals(40, a.trainSize());
        assertEquals(10, a.validationSize());
        assertEquals(2, a.features());
        assertEquals(3, a.outputs());
        assertArrayEquals(a.validationFeatures().data().asFloat(), b.validationFeatures().data().asFloat());
        INDArray row = a.trainFeatures().getRow(0);
        int original = (int) row.getFloat(0);
        assertEquals(original * 0.5f, row.getFloat(1), 1e-6);
        assertEquals(original % 3, a.trainLabels().getRow(0).argMax().getInt(0));
    }

    @Test
    void csvRowWithTheWrongColumnCountNamesTheLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("bad.csv"), "1,2,0\n3,4,1\n5,6\n");
        DatasetSpec spec = new DatasetSpec(DatasetKind.CSV, null, null, null, null, null, "bad.csv", 2);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new DatasetLoader(new DataLocations(List.of(dir))).load(spec, 1));
        assertEquals("dataset.path: line 3 of bad.csv has 2 columns; the first line has 3", e.getMessage());
    }

    @Test
    void missingFashionMnistNamesEveryPlaceItLooked(@TempDir Path empty) {
        DataLocations locations = DataLocations.fromEnvironment(Map.of(DataLocations.DATA_DIR_ENV, empty.toString()), empty);
        assertEquals(List.of(empty, empty.resolve(".cache/batchscope"), DataLocations.SYSTEM_DATASETS), locations.roots());
        DataLocations onlyEmpty = new DataLocations(List.of(empty));
        TrainingException e = assertThrows(TrainingException.class,
                () -> new DatasetLoader(onlyEmpty).load(DatasetSpec.of(DatasetKind.FASHION_MNIST), 1));
        assertTrue(e.getMessage().startsWith("dataset.name: fashion-mnist files"), e.getMessage());
        assertTrue(e.getMessage().contains(empty.toString()) && e.getMessage().contains("BATCHSCOPE_DATA_DIR"), e.getMessage());
    }

    @Test
    void fashionMnistIdxFilesAreFoundInTheDatasetSubfolder(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("fashion-mnist"));
        writeIdxImages(dir.resolve(FashionMnist.TRAIN_IMAGES), 5);
        writeIdxLabels(dir.resolve(FashionMnist.TRAIN_LABELS), 5);
        writeIdxImages(dir.resolve(FashionMnist.TEST_IMAGES), 2);
        writeIdxLabels(dir.resolve(FashionMnist.TEST_LABELS), 2);
        DatasetSpec spec = new DatasetSpec(DatasetKind.FASHION_MNIST, 3, null, null, null, null, null, null);

        Dataset data = new DatasetLoader(new DataLocations(List.of(root))).load(spec, 1);
        assertEquals(3, data.trainSize());
        assertEquals(2, data.validationSize());
        assertEquals(784, data.features());
        assertEquals((2 + 783) % 256 / 255f, data.trainFeatures().getFloat(2, 783), 1e-7);
        assertEquals(2, data.trainLabels().getRow(2).argMax().getInt(0));
    }

    @Test
    void truncatedIdxFileFailsTheRunNamingTheFile(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("fashion-mnist"));
        // the header promises 5 images; the body holds 4 and a half
        ByteBuffer header = ByteBuffer.allocate(16).putInt(0x803).putInt(5).putInt(28).putInt(28);
        writeGz(dir.resolve(FashionMnist.TRAIN_IMAGES), header.array(), new byte[4 * 784 + 392]);
        writeIdxLabels(dir.resolve(FashionMnist.TRAIN_LABELS), 5);
        writeIdxImages(dir.resolve(FashionMnist.TEST_IMAGES), 2);
        writeIdxLabels(dir.resolve(FashionMnist.TEST_LABELS), 2);
        DatasetSpec spec = new DatasetSpec(DatasetKind.FASHION_MNIST, null, null, null, null, null, null, null);

        TrainingException e = assertThrows(TrainingException.class,
                () -> new DatasetLoader(new DataLocations(List.of(root))).load(spec, 1));
        assertTrue(e.getMessage().contains(FashionMnist.TRAIN_IMAGES) && e.getMessage().contains("5 items"),
                e.getMessage());
    }

    @Test
    void syntheticDataComesFromTheSeed() {
        DatasetSpec spec = new DatasetSpec(DatasetKind.SYNTHETIC_LINEAR, 100, 0.1, 5, null, 0.5, null, null);
        DatasetLoader loader = new DatasetLoader(new DataLocations(List.of()));
        Dataset a = loader.load(spec, 3);
        assertEquals(90, a.trainSize());
        assertEquals(10, a.validationSize());
        assertEquals(5, a.features());
        assertArrayEquals(a.trainLabels().data().asFloat(), loader.load(spec, 3).trainLabels().data().asFloat());
        assertNotEquals(a.trainLabels().getFloat(0, 0), loader.load(spec, 4).trainLabels().getFloat(0, 0));

        DatasetSpec blobs = new DatasetSpec(DatasetKind.SYNTHETIC_BLOBS, 200, 0.25, 4, 5, 1.0, null, null);
        Dataset b = loader.load(blobs, 3);
        assertEquals(150, b.trainSize());
        assertEquals(5, b.outputs());
        assertEquals(150.0, b.trainLabels().sumNumber().doubleValue(), "one-hot rows");
    }

    @Test
    void datasetLargerThanATrainerHoldsIsRefusedByName() {
        DatasetSpec spec = new DatasetSpec(DatasetKind.SYNTHETIC_LINEAR, 10_000_000, 0.1, 100_000, null, 1.0, null, null);
        TrainingException e = assertThrows(TrainingException.class,
                () -> new DatasetLoader(new DataLocations(List.of())).load(spec, 1));
        assertTrue(e.getMessage().startsWith("dataset.samples x dataset.features = 10000000 x 100000"), e.getMessage());
    }

    @Test
    void epochOrderIsAPermutationFixedBySeedAndEpoch() {
        int[] a = EpochOrder.permutation(1, 0, 100);
        assertArrayEquals(a, EpochOrder.permutation(1, 0, 100));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(EpochOrder.permutation(1, 1, 100)));
        assertEquals(4950, java.util.Arrays.stream(a).sum());
        assertEquals(100, java.util.Arrays.stream(a).distinct().count());
    }

    private static byte[] cifarRecords(int count, int firstRecord) {
        byte[] bytes = new byte[count * Cifar10.RECORD];
        for (int i = 0; i < count; i++) {
            int r = firstRecord + i;
            bytes[i * Cifar10.RECORD] = (byte) (r % 10);
            for (int p = 0; p < Cifar10.PIXELS; p++) {
                bytes[i * Cifar10.RECORD + 1 + p] = (byte) ((r + p) % 256);
            }
        }
        return bytes;
    }

    private static void writeIdxImages(Path file, int count) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(0x803).putInt(count).putInt(28).putInt(28);
        byte[] pixels = new byte[count * 784];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = (byte) ((i + p) % 256);
            }
        }
        writeGz(file, header.array(), pixels);
    }

    private static void writeIdxLabels(Path file, int count) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(8).putInt(0x801).putInt(count);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        writeGz(file, header.array(), labels);
    }

    private static void writeGz(Path file, byte[] header, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(header);
            gz.write(body);
        }
        Files.write(file, out.toByteArray());
    }
}

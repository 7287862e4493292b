package dev.batchscope.trainer.bench;

import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * How long loading Fashion-MNIST takes (60,000 training and 10,000 test images from the IDX gz files into native
 * float arrays): the first load, then the best of the following ones, each from the files again. A benchmark, not a
 * test: run it with the command in docs/benchmarks.md.
 */
public final class DatasetLoadBenchmark {
    private static final int LOADS = 6;

    private DatasetLoadBenchmark() {
    }

    public static void main(String[] args) {
        Nd4j.create(1); // backend start-up is not data loading
        DatasetSpec fashion = new DatasetSpec(DatasetKind.FASHION_MNIST, null, null, null, null, null, null, null);
        DatasetLoader loader = DatasetLoader.standard();
        double first = Double.NaN;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < LOADS; i++) {
            long start = System.nanoTime();
            Dataset data = loader.load(fashion, 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (data.trainSize() != 60_000) {
                throw new IllegalStateException("expected 60,000 training images, got " + data.trainSize());
            }
            if (i == 0) {
                first = seconds;
            } else {
                best = Math.min(best, seconds);
            }
            System.out.printf(Locale.ROOT, "load %d: %.3f s%n", i + 1, seconds);
        }
        // the floor: nd4j allocating (and so first touching) the native memory of the training features alone
        double allocation = Double.MAX_VALUE;
        for (int i = 0; i < LOADS; i++) {
            long start = System.nanoTime();
            INDArray features = Nd4j.createUninitialized(DataType.FLOAT, 60_000, 784);
            allocation = Math.min(allocation, (System.nanoTime() - start) / 1e9);
            features.close();
        }
        System.out.printf(Locale.ROOT, "Fashion-MNIST load: first %.3f s, best of the next %d %.3f s; of that, allocating "
                        + "the 60,000 x 784 float matrix alone takes %.3f s (best of %d); load average %.2f%n",
                first, LOADS - 1, best, allocation, LOADS,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

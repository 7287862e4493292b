package dev.batchscope.trainer.bench;

import dev.batchscope.events.spec.Activation;
import dev.batchscope.events.spec.BatchSize;
import dev.batchscope.events.spec.BudgetSpec;
import dev.batchscope.events.spec.CheckpointSpec;
import dev.batchscope.events.spec.DatasetKind;
import dev.batchscope.events.spec.DatasetSpec;
import dev.batchscope.events.spec.LearningRateSpec;
import dev.batchscope.events.spec.LossFunction;
import dev.batchscope.events.spec.ModelSpec;
import dev.batchscope.events.spec.ModelType;
import dev.batchscope.events.spec.NoiseSpec;
import dev.batchscope.events.spec.OptimizerSpec;
import dev.batchscope.events.spec.RunSpec;
import dev.batchscope.events.spec.ValidationSpec;
import dev.batchscope.events.spec.WeightInit;
import dev.batchscope.trainer.engine.IterationRecord;
import dev.batchscope.trainer.engine.StopRequest;
import dev.batchscope.trainer.engine.Trainer;
import dev.batchscope.trainer.engine.TrainingListener;
import dev.batchscope.trainer.engine.data.Dataset;
import dev.batchscope.trainer.engine.data.DatasetLoader;
import dev.batchscope.trainer.engine.data.EpochOrder;
import dev.batchscope.trainer.engine.model.NetworkFactory;
import dev.batchscope.trainer.engine.model.WarmupSchedule;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training throughput (samples/s) of the Fashion-MNIST MLP 784-256-128-10, plain SGD, cross-entropy, for batch
 * sizes 16, 64, 256 and 1024, in four setups:
 * (a) DL4J's own fit loop ({@code MultiLayerNetwork.fit(DataSetIterator)}) over the same arrays in the same
 *     shuffled order, an iterator that gathers each batch's rows into a new DataSet (DL4J's usual data path);
 *     (a') the same with all batches built before the timing starts: DL4J's best case, no data cost at all,
 *     where the engine still gathers its rows every step;
 * (b) the engine without noise measurement;
 * (c) the engine measuring gradient noise every 10 iterations with k = 4;
 * (d) the same model in PyTorch (bench/torch_throughput.py, run with /usr/bin/python3). Debian's python3-torch
 *     links the generic reference BLAS (libblas.so.3), about ten times slower than what a pip-installed PyTorch
 *     uses; the benchmark hands it the OpenBLAS that nd4j ships (same build for both sides) through
 *     LD_LIBRARY_PATH, without touching the system's BLAS alternatives.
 *
 * <p>A benchmark, not a test: run it with the command in docs/benchmarks.md. Each setup trains a fresh network
 * for a warm-up and then a timed stretch; rounds alternate the setups and each setup's best round counts, because
 * load from other processes (a shared build machine) only ever slows a round down. No validation pass falls
 * inside the timing: the engine runs validate only at an iteration cadence beyond the run and are cancelled after
 * the last timed step.
 */
public final class ThroughputBenchmark {
    private static final int[] BATCHES = {16, 64, 256, 1024};
    /** Rounds per setup; the best counts, since load from other processes only ever slows a round down. */
    private static final int ROUNDS = 5;
    private static final long SEED = 1;

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Nd4j.create(1); // backend start-up is not data loading
        Map<String, String> options = parse(args);
        int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
        String python = options.getOrDefault("python", "/usr/bin/python3");
        Path torchScript = Path.of(options.getOrDefault("torch-script", "bench/torch_throughput.py"));

        long loadStart = System.nanoTime();
        DatasetSpec fashion = new DatasetSpec(DatasetKind.FASHION_MNIST, null, null, null, null, null, null, null);
        DatasetLoader loader = DatasetLoader.standard();
        Dataset data = loader.load(fashion, SEED);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.out.printf(Locale.ROOT, "Fashion-MNIST: %d train + %d test images loaded from IDX gz in %.2f s; nd4j threads %d%n",
                data.trainSize(), data.validationSize(), loadSeconds, threads);

        Map<Integer, double[]> results = new LinkedHashMap<>();
        for (int batch : BATCHES) {
            int measured = measuredSteps(batch);
            int warmup = Math.max(10, measured / 10);
            // best wall-clock rate of (a), (b), (c), (a'), then the best CPU-time rates in the same order
            double[] best = new double[8];
            for (int round = 0; round < ROUNDS; round++) {
                double[][] rates = {
                        dl4jFit(data, batch, warmup, measured, false),
                        engine(data, batch, warmup, measured, NoiseSpec.OFF),
                        engine(data, batch, warmup, measured, new NoiseSpec(10, 4)),
                        dl4jFit(data, batch, warmup, measured, true)};
                for (int i = 0; i < 4; i++) {
                    best[i] = Math.max(best[i], rates[i][0]);
                    best[4 + i] = Math.max(best[4 + i], rates[i][1]);
                }
                System.out.printf(Locale.ROOT, "  batch %4d round %d: (a) %7.0f (b) %7.0f (c) %7.0f (a') %7.0f samples/s"
                                + " | per CPU-second %7.0f %7.0f %7.0f %7.0f%n", batch, round + 1, rates[0][0], rates[1][0],
                        rates[2][0], rates[3][0], rates[0][1], rates[1][1], rates[2][1], rates[3][1]);
            }
            results.put(batch, best);
        }

        Map<Integer, double[]> torch = torch(python, torchScript, loader, threads);

        System.out.println();
        System.out.printf("Machine: %s, %d cores visible, Java %s; date %s%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), LocalDate.now());
        System.out.printf("Load average at the end: %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println();
        table("Samples/s, wall clock (best of " + ROUNDS + " rounds)", results, torch, 0);
        table("Samples per second of training-thread CPU time (best of " + ROUNDS + " rounds; one thread does all the work)",
                results, torch, 1);
    }

    private static void table(String title, Map<Integer, double[]> results, Map<Integer, double[]> torch, int kind) {
        System.out.println(title + ":");
        System.out.println();
        System.out.println("| batch | (a) DL4J fit | (a') DL4J fit, batches prebuilt | (b) engine | (c) engine + noise every 10, k=4"
                + " | (d) PyTorch | (b)/(a) | (c)/(a) | (b)/(a') | (c)/(a') |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Map.Entry<Integer, double[]> row : results.entrySet()) {
            double[] all = row.getValue();
            double[] r = Arrays.copyOfRange(all, 4 * kind, 4 * kind + 4);
            double[] t = torch.get(row.getKey());
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %s | %.2f | %.2f | %.2f | %.2f |%n", row.getKey(),
                    r[0], r[3], r[1], r[2], t == null ? "n/a" : String.format(Locale.ROOT, "%.0f", t[kind]),
                    r[1] / r[0], r[2] / r[0], r[1] / r[3], r[2] / r[3]);
        }
        System.out.println();
    }

    /** Roughly one to three seconds per timed stretch on a busy two-core machine. */
    static int measuredSteps(int batch) {
        return switch (batch) {
            case 16 -> 150;
            case 64 -> 100;
            case 256 -> 60;
            default -> 30;
        };
    }


    static RunSpec spec(int batch, int steps, NoiseSpec noise) {
        DatasetSpec fashion = new DatasetSpec(DatasetKind.FASHION_MNIST, null, null, null, null, null, null, null);
        return new RunSpec(fashion, new ModelSpec(ModelType.MLP, List.of(256, 128), Activation.RELU, WeightInit.XAVIER),
                LossFunction.CROSS_ENTROPY, OptimizerSpec.sgd(), BatchSize.of(batch), LearningRateSpec.constant(0.01),
                BudgetSpec.steps(steps), SEED, noise, new ValidationSpec(steps + 1), null, new CheckpointSpec(0, 0), null);
    }

    /**
     * (b) and (c): samples/s from the end of the warm-up to the last timed step, by the wall clock and per second of
     * the training thread's CPU time; cancelled after the last timed step, so no validation pass follows.
     */
    static double[] engine(Dataset data, int batch, int warmup, int measured, NoiseSpec noise) {
        System.gc();
        Trainer trainer = Trainer.create(spec(batch, warmup + measured + 1, noise), data);
        Stopwatch watch = new Stopwatch(warmup, measured, batch);
        trainer.train(new TrainingListener() {
            @Override
            public void iteration(IterationRecord record) {
                watch.stepDone();
            }
        }, () -> watch.done() ? StopRequest.cancel("timed steps done") : null, null);
        return watch.rates();
    }

    /** (a) and (a'): DL4J's fit(DataSetIterator) on a network built from the same configuration. */
    static double[] dl4jFit(Dataset data, int batch, int warmup, int measured, boolean prebuilt) {
        EpochBatches batches = new EpochBatches(data, batch, warmup + measured, prebuilt);
        System.gc();
        MultiLayerNetwork net = NetworkFactory.build(spec(batch, warmup + measured, NoiseSpec.OFF), data, new WarmupSchedule(0.01, 0));
        Stopwatch watch = new Stopwatch(warmup, measured, batch);
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                watch.stepDone();
            }
        });
        net.fit(batches);
        return watch.rates();
    }

    /** Wall-clock and thread-CPU marks at the end of the warm-up and of the last timed step, taken on the training thread. */
    static final class Stopwatch {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final int warmup;
        private final int measured;
        private final int batch;
        private int steps;
        private long wallStart;
        private long cpuStart;
        private long wall;
        private long cpu;

        Stopwatch(int warmup, int measured, int batch) {
            this.warmup = warmup;
            this.measured = measured;
            this.batch = batch;
        }

        void stepDone() {
            steps++;
            if (steps == warmup) {
                wallStart = System.nanoTime();
                cpuStart = THREADS.getCurrentThreadCpuTime();
            } else if (steps == warmup + measured) {
                wall = System.nanoTime() - wallStart;
                cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            }
        }

        boolean done() {
            return steps >= warmup + measured;
        }

        double[] rates() {
            double samples = (double) measured * batch * 1e9;
            return new double[]{samples / wall, samples / cpu};
        }
    }

    /** Batch size to {wall clock, thread CPU time} samples/s of the PyTorch script; empty when it cannot run. */
    static Map<Integer, double[]> torch(String python, Path script, DatasetLoader loader, int threads) {
        Map<Integer, double[]> result = new LinkedHashMap<>();
        Path dataDir = loader.locations().findDirectoryWith("fashion-mnist", List.of("train-images-idx3-ubyte.gz")).orElseThrow();
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--data-dir", dataDir.toString(),
                "--threads", Integer.toString(threads), "--rounds", Integer.toString(ROUNDS)));
        for (int batch : BATCHES) {
            command.add("--cell");
            command.add(batch + ":" + Math.max(10, measuredSteps(batch) / 10) + ":" + measuredSteps(batch));
        }
        Pattern line = Pattern.compile("batch (\\d+) samples_per_second ([0-9.]+) cpu_samples_per_second ([0-9.]+)");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            Path openblas = openBlasForTorch();
            if (openblas != null) {
                builder.environment().put("LD_LIBRARY_PATH", openblas.toString());
                System.out.println("  torch: BLAS = nd4j's OpenBLAS via " + openblas.resolve("libblas.so.3").toRealPath());
            } else {
                System.out.println("  torch: nd4j's OpenBLAS not found in the JavaCPP cache; torch uses the system BLAS");
            }
            Process process = builder.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String text;
                while ((text = out.readLine()) != null) {
                    System.out.println("  torch: " + text);
                    Matcher m = line.matcher(text);
                    if (m.find()) {
                        result.put(Integer.parseInt(m.group(1)), new double[]{Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
                    }
                }
            }
            if (process.waitFor() != 0) {
                System.out.println("  torch: exited with " + process.exitValue() + "; column (d) stays n/a");
            }
        } catch (IOException e) {
            System.out.println("  torch: cannot run " + python + " (" + e.getMessage() + "); column (d) stays n/a");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /** A folder whose libblas.so.3 is the OpenBLAS that nd4j extracted into the JavaCPP cache. */
    private static Path openBlasForTorch() throws IOException {
        Path cache = Path.of(org.bytedeco.javacpp.Loader.getCacheDir().getPath());
        Path library;
        try (var files = Files.walk(cache)) {
            library = files.filter(p -> p.getFileName().toString().equals("libopenblas.so.0"))
                    .filter(p -> p.toString().contains("bytedeco/openblas")).findFirst().orElse(null);
        }
        if (library == null) {
            return null;
        }
        Path folder = Files.createTempDirectory("batchscope-torch-blas");
        Files.createSymbolicLink(folder.resolve("libblas.so.3"), library);
        folder.toFile().deleteOnExit();
        folder.resolve("libblas.so.3").toFile().deleteOnExit();
        return folder;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    /** The batches of epoch 0's permutation (the engine's order) as a DL4J iterator: gathered per call, or up front. */
    static final class EpochBatches implements DataSetIterator {
        private final Dataset data;
        private final int batch;
        private final int steps;
        private final int[] order;
        private final List<DataSet> prebuilt = new ArrayList<>();
        private int next;

        EpochBatches(Dataset data, int batch, int steps, boolean buildUpFront) {
            this.data = data;
            this.batch = batch;
            this.steps = steps;
            this.order = EpochOrder.permutation(SEED, 0, data.trainSize());
            for (int i = 0; buildUpFront && i < steps; i++) {
                prebuilt.add(gather(i));
            }
        }

        private DataSet gather(int step) {
            int[] rows = Arrays.copyOfRange(order, step * batch, (step + 1) * batch);
            return new DataSet(Nd4j.pullRows(data.trainFeatures(), 1, rows), Nd4j.pullRows(data.trainLabels(), 1, rows));
        }

        @Override
        public boolean hasNext() {
            return next < steps;
        }

        @Override
        public DataSet next() {
            int step = next++;
            return prebuilt.isEmpty() ? gather(step) : prebuilt.get(step);
        }

        @Override
        public DataSet next(int num) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int inputColumns() {
            return data.features();
        }

        @Override
        public int totalOutcomes() {
            return data.outputs();
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public int batch() {
            return batch;
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public List<String> getLabels() {
            return null;
        }
    }
}

package dev.batchscope.trainer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import dev.batchscope.trainer.engine.EnginePath;
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
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training throughput (samples/s) of the Fashion-MNIST MLP 784-256-128-10 (ReLU, Xavier, plain SGD at 0.01,
 * cross-entropy, float32) for batch sizes 16, 64, 256 and 1024, at 1 and 2 threads, in these setups:
 * <ul>
 *   <li>{@code dl4j-fit}: DL4J's own loop, {@code MultiLayerNetwork.fit(DataSetIterator)} over the same arrays in the
 *       same shuffled order, with an iterator that gathers each batch's rows into a new DataSet;</li>
 *   <li>{@code engine-dl4j}: the engine on DL4J's path ({@link EnginePath#DL4J}), no noise measurement;</li>
 *   <li>{@code engine}: the engine on its default path (the dense one for this model), no noise measurement;</li>
 *   <li>{@code engine-noise}: the same measuring the gradient noise at every iteration (per-example norms);</li>
 *   <li>{@code pytorch}: the same model in PyTorch (bench/torch_throughput.py, /usr/bin/python3, Debian's
 *       python3-torch), handed the OpenBLAS that nd4j ships through LD_LIBRARY_PATH: the same BLAS on both sides.</li>
 * </ul>
 * Optional setups ({@code --setups=...}): {@code engine-dl4j-noise} (DL4J's path, noise every 10 iterations with
 * k = 4), {@code dl4j-fit-no-workspaces} and {@code dl4j-fit-cache-host} (DL4J's loop with WorkspaceMode.NONE or
 * CacheMode.HOST instead of the trainer's ENABLED / NONE).
 *
 * <p>A benchmark, not a test: run it with the command in docs/benchmarks.md. Each thread count runs in a JVM of its
 * own started with OMP_NUM_THREADS and OPENBLAS_NUM_THREADS (how a trainer gets its threads), next to a PyTorch worker
 * with the same count. Each cell trains a fresh network for a warm-up, then a timed stretch inside which no validation
 * pass falls; rounds alternate the setups, PyTorch included, and each setup's best round counts, because load from
 * other processes only ever slows a round down. Writes the table and {@code target/benchmark.json}: a list of
 * {"setup", "batch", "threads", "samplesPerSecond"}.
 */
public final class ThroughputBenchmark {
    static final List<String> DEFAULT_SETUPS = List.of("dl4j-fit", "engine-dl4j", "engine", "engine-noise", "pytorch");
    private static final long SEED = 1;
    private static final double LEARNING_RATE = 0.01;
    private static final Pattern ROUND = Pattern.compile("^ROUND (\\S+) (\\d+) (\\d+) (\\d+) ([0-9.]+)$");

    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.worker) {
            Worker.run(options);
            return;
        }
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        double loadBefore = loadAverage();
        Map<String, Double> best = new LinkedHashMap<>();
        for (int threads : options.threads) {
            runWorker(options, threads, best);
        }
        double loadAfter = loadAverage();

        System.out.println();
        System.out.printf(Locale.ROOT, "Run of %s: %s, %d cores visible, Java %s, nd4j classifier jar %s%n", started, cpuModel(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), nd4jNativeJar());
        System.out.printf(Locale.ROOT, "Load average (1 min): %.2f before, %.2f after; best of %d rounds, samples/s by the wall clock%n",
                loadBefore, loadAfter, options.rounds);
        for (int threads : options.threads) {
            table(options, threads, best);
        }
        writeJson(options.json, options, best);
        System.out.println("Cells written to " + options.json.toAbsolutePath());
    }

    /** Starts the worker JVM for {@code threads} threads and keeps each cell's best round in {@code best}. */
    private static void runWorker(Options options, int threads, Map<String, Double> best) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ThroughputBenchmark.class.getName(), "--worker"));
        command.addAll(options.forwarded(threads));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        System.out.printf(Locale.ROOT, "%d thread(s): load average %.2f%n", threads, loadAverage());
        Process worker = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = ROUND.matcher(line);
                if (m.matches()) {
                    best.merge(key(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))),
                            Double.parseDouble(m.group(5)), Math::max);
                    System.out.printf(Locale.ROOT, "  %d thread(s), batch %4s, round %s: %-24s %9.0f samples/s%n", threads,
                            m.group(2), m.group(4), m.group(1), Double.parseDouble(m.group(5)));
                } else if (!line.contains(" INFO ")) {
                    System.out.println("  " + line);
                }
            }
        }
        if (worker.waitFor() != 0) {
            throw new IllegalStateException("the " + threads + "-thread worker exited with " + worker.exitValue());
        }
    }

    private static void table(Options options, int threads, Map<String, Double> best) {
        System.out.println();
        System.out.println(threads + " thread" + (threads == 1 ? "" : "s") + ":");
        System.out.println();
        StringBuilder header = new StringBuilder("| batch |");
        StringBuilder rule = new StringBuilder("|---:|");
        for (String setup : options.setups) {
            header.append(' ').append(setup).append(" |");
            rule.append("---:|");
        }
        List<String[]> ratios = ratios(options.setups);
        for (String[] ratio : ratios) {
            header.append(' ').append(ratio[0]).append(" / ").append(ratio[1]).append(" |");
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (int batch : options.batches) {
            StringBuilder row = new StringBuilder("| " + batch + " |");
            for (String setup : options.setups) {
                Double rate = best.get(key(setup, batch, threads));
                row.append(' ').append(rate == null ? "n/a" : String.format(Locale.ROOT, "%.0f", rate)).append(" |");
            }
            for (String[] ratio : ratios) {
                Double a = best.get(key(ratio[0], batch, threads));
                Double b = best.get(key(ratio[1], batch, threads));
                row.append(' ').append(a == null || b == null ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b)).append(" |");
            }
            System.out.println(row);
        }
    }

    /** The ratios the goals are stated in (docs/benchmarks.md), for the setups that ran. */
    private static List<String[]> ratios(List<String> setups) {
        List<String[]> ratios = new ArrayList<>();
        for (String[] ratio : new String[][]{{"engine", "pytorch"}, {"engine-noise", "engine"}, {"engine", "dl4j-fit"},
                {"engine-dl4j", "dl4j-fit"}}) {
            if (setups.contains(ratio[0]) && setups.contains(ratio[1])) {
                ratios.add(ratio);
            }
        }
        return ratios;
    }

    private static void writeJson(Path file, Options options, Map<String, Double> best) throws IOException {
        List<Map<String, Object>> cells = new ArrayList<>();
        for (int threads : options.threads) {
            for (int batch : options.batches) {
                for (String setup : options.setups) {
                    Double rate = best.get(key(setup, batch, threads));
                    if (rate != null) {
                        Map<String, Object> cell = new LinkedHashMap<>();
                        cell.put("setup", setup);
                        cell.put("batch", batch);
                        cell.put("threads", threads);
                        cell.put("samplesPerSecond", Math.round(rate * 10) / 10.0);
                        cells.add(cell);
                    }
                }
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), cells);
    }

    private static String key(String setup, int batch, int threads) {
        return setup + "/" + batch + "/" + threads;
    }

    /**
     * Warm-up and timed steps of a cell: 32,000 timed samples (at least 32 steps), about a second of DL4J's loop and
     * a third of one for the dense path, with warm-up and timed steps inside one epoch (DL4J's iterator reads epoch 0).
     */
    static int[] steps(int batch, int trainSize) {
        int timed = Math.max(32, 32_000 / batch);
        int warmup = Math.max(20, timed / 10);
        timed = Math.min(timed, trainSize / batch - warmup);
        return new int[]{warmup, timed};
    }

    static RunSpec spec(int batch, int steps, NoiseSpec noise) {
        DatasetSpec fashion = new DatasetSpec(DatasetKind.FASHION_MNIST, null, null, null, null, null, null, null);
        return new RunSpec(fashion, new ModelSpec(ModelType.MLP, List.of(256, 128), Activation.RELU, WeightInit.XAVIER),
                LossFunction.CROSS_ENTROPY, OptimizerSpec.sgd(), BatchSize.of(batch), LearningRateSpec.constant(LEARNING_RATE),
                BudgetSpec.steps(steps), SEED, noise, new ValidationSpec(steps + 1), null, new CheckpointSpec(0, 0), null);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** Which nd4j-native native jar is on the class path (its classifier: plain, avx2, avx512, onednn...). */
    private static String nd4jNativeJar() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString())
                .filter(name -> name.startsWith("nd4j-native-") && name.contains("linux"))
                .findFirst().orElse("none");
    }

    /** One thread count's JVM: loads the data once and runs every cell, rounds alternating the setups. */
    static final class Worker {
        private Worker() {
        }

        static void run(Options options) throws Exception {
            Nd4j.create(1); // backend start-up is not part of any cell
            int threads = options.threads.get(0);
            DatasetLoader loader = DatasetLoader.standard();
            Dataset data = loader.load(new DatasetSpec(DatasetKind.FASHION_MNIST, null, null, null, null, null, null, null), SEED);
            System.out.printf(Locale.ROOT, "worker: %d threads, Fashion-MNIST %d train images%n", threads, data.trainSize());
            try (Torch torch = options.setups.contains("pytorch") ? Torch.start(options, loader, threads) : null) {
                for (int batch : options.batches) {
                    int warmup = steps(batch, data.trainSize())[0];
                    int timed = steps(batch, data.trainSize())[1];
                    for (int round = 1; round <= options.rounds; round++) {
                        for (String setup : options.setups) {
                            double rate = cell(setup, data, batch, warmup, timed, torch);
                            System.out.printf(Locale.ROOT, "ROUND %s %d %d %d %.1f%n", setup, batch, threads, round, rate);
                        }
                    }
                }
            }
        }

        private static double cell(String setup, Dataset data, int batch, int warmup, int timed, Torch torch) throws IOException {
            return switch (setup) {
                case "dl4j-fit" -> dl4jFit(data, batch, warmup, timed, null, null);
                case "dl4j-fit-no-workspaces" -> dl4jFit(data, batch, warmup, timed, WorkspaceMode.NONE, null);
                case "dl4j-fit-cache-host" -> dl4jFit(data, batch, warmup, timed, null, CacheMode.HOST);
                case "engine-dl4j" -> engine(data, batch, warmup, timed, EnginePath.DL4J, NoiseSpec.OFF);
                case "engine-dl4j-noise" -> engine(data, batch, warmup, timed, EnginePath.DL4J, new NoiseSpec(10, 4));
                case "engine" -> engine(data, batch, warmup, timed, EnginePath.AUTO, NoiseSpec.OFF);
                case "engine-noise" -> engine(data, batch, warmup, timed, EnginePath.AUTO, new NoiseSpec(1, 4));
                case "pytorch" -> torch.cell(batch, warmup, timed);
                default -> throw new IllegalArgumentException("unknown setup " + setup);
            };
        }

        /** The engine from the end of the warm-up to the last timed step; cancelled then, so no validation follows. */
        static double engine(Dataset data, int batch, int warmup, int timed, EnginePath path, NoiseSpec noise) {
            System.gc();
            Trainer trainer = Trainer.create(spec(batch, warmup + timed + 1, noise), data, path);
            Stopwatch watch = new Stopwatch(warmup, timed, batch);
            trainer.train(new TrainingListener() {
                @Override
                public void iteration(IterationRecord record) {
                    watch.stepDone();
                }
            }, () -> watch.done() ? StopRequest.cancel("timed steps done") : null, null);
            return watch.rate();
        }

        /** DL4J's fit(DataSetIterator) on a network built from the same configuration, optionally other settings. */
        static double dl4jFit(Dataset data, int batch, int warmup, int timed, WorkspaceMode workspaces, CacheMode cache) {
            EpochBatches batches = new EpochBatches(data, batch, warmup + timed);
            System.gc();
            MultiLayerNetwork net = NetworkFactory.build(spec(batch, warmup + timed, NoiseSpec.OFF), data,
                    new WarmupSchedule(LEARNING_RATE, 0));
            if (workspaces != null) {
                net.getLayerWiseConfigurations().setTrainingWorkspaceMode(workspaces);
                net.getLayerWiseConfigurations().setInferenceWorkspaceMode(workspaces);
            }
            if (cache != null) {
                net.setCacheMode(cache);
            }
            Stopwatch watch = new Stopwatch(warmup, timed, batch);
            net.setListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    watch.stepDone();
                }
            });
            net.fit(batches);
            return watch.rate();
        }
    }

    /** Wall-clock marks at the end of the warm-up and of the last timed step, taken on the training thread. */
    static final class Stopwatch {
        private final int warmup;
        private final int timed;
        private final int batch;
        private int steps;
        private long start;
        private long wall;

        Stopwatch(int warmup, int timed, int batch) {
            this.warmup = warmup;
            this.timed = timed;
            this.batch = batch;
        }

        void stepDone() {
            steps++;
            if (steps == warmup) {
                start = System.nanoTime();
            } else if (steps == warmup + timed) {
                wall = System.nanoTime() - start;
            }
        }

        boolean done() {
            return steps >= warmup + timed;
        }

        double rate() {
            return (double) timed * batch * 1e9 / wall;
        }
    }

    /** The PyTorch worker of one thread count: one cell per request, so that its rounds interleave with the others. */
    static final class Torch implements AutoCloseable {
        private static final Pattern RESULT = Pattern.compile("batch (\\d+) samples_per_second ([0-9.]+)");
        private final Process process;
        private final BufferedReader out;
        private final BufferedWriter in;

        private Torch(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        static Torch start(Options options, DatasetLoader loader, int threads) throws IOException {
            Path dataDir = loader.locations().findDirectoryWith("fashion-mnist", List.of("train-images-idx3-ubyte.gz"))
                    .orElseThrow(() -> new IllegalStateException("Fashion-MNIST not found for the PyTorch worker"));
            ProcessBuilder builder = new ProcessBuilder(options.python, options.torchScript.toString(), "--data-dir",
                    dataDir.toString(), "--threads", Integer.toString(threads)).redirectErrorStream(true);
            Path openblas = openBlasForTorch();
            builder.environment().put("LD_LIBRARY_PATH", openblas.toString());
            System.out.println("torch: BLAS = nd4j's OpenBLAS via " + openblas.resolve("libblas.so.3").toRealPath());
            Torch torch = new Torch(builder.start());
            String line = torch.out.readLine();
            if (line == null || !line.startsWith("ready")) {
                throw new IllegalStateException("the PyTorch worker (" + options.python + " " + options.torchScript
                        + ") did not start: " + line + "; install Debian's python3-torch");
            }
            System.out.println("torch: " + line);
            return torch;
        }

        double cell(int batch, int warmup, int timed) throws IOException {
            in.write(batch + " " + warmup + " " + timed + "\n");
            in.flush();
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = RESULT.matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(2));
                }
                System.out.println("torch: " + line);
            }
            throw new IllegalStateException("the PyTorch worker stopped before answering batch " + batch);
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * A folder whose libblas.so.3 is the OpenBLAS that nd4j extracted into the JavaCPP cache. Debian's python3-torch
         * links the generic reference BLAS (libblas.so.3), about ten times slower than what a pip-installed PyTorch
         * uses; this hands it the same OpenBLAS build the Java side runs, without touching the system's alternatives.
         */
        private static Path openBlasForTorch() throws IOException {
            Path cache = Path.of(org.bytedeco.javacpp.Loader.getCacheDir().getPath());
            Path library;
            try (var files = Files.walk(cache)) {
                library = files.filter(p -> p.getFileName().toString().equals("libopenblas.so.0"))
                        .filter(p -> p.toString().contains("bytedeco/openblas")).findFirst().orElse(null);
            }
            if (library == null) {
                throw new IllegalStateException("nd4j's OpenBLAS (libopenblas.so.0) is not in the JavaCPP cache " + cache);
            }
            Path folder = Files.createTempDirectory("batchscope-torch-blas");
            Files.createSymbolicLink(folder.resolve("libblas.so.3"), library);
            folder.toFile().deleteOnExit();
            folder.resolve("libblas.so.3").toFile().deleteOnExit();
            return folder;
        }
    }

    /** Command-line options: {@code --threads=1,2 --batches=16,64,256,1024 --rounds=5 --setups=... --json=...}. */
    static final class Options {
        boolean worker;
        List<Integer> threads = List.of(1, 2);
        List<Integer> batches = List.of(16, 64, 256, 1024);
        List<String> setups = DEFAULT_SETUPS;
        int rounds = 5;
        String python = "/usr/bin/python3";
        Path torchScript = Path.of("bench/torch_throughput.py");
        Path json = Path.of("target/benchmark.json");

        static Options parse(String[] args) {
            Options o = new Options();
            // Maven passes -Dbenchmark.args as one argument, possibly empty or holding several options
            List<String> words = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+"))).filter(w -> !w.isEmpty()).toList();
            for (String arg : words) {
                String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
                switch (arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg) {
                    case "--worker" -> o.worker = true;
                    case "--threads" -> o.threads = integers(value);
                    case "--batches" -> o.batches = integers(value);
                    case "--setups" -> o.setups = List.of(value.split(","));
                    case "--rounds" -> o.rounds = Integer.parseInt(value);
                    case "--python" -> o.python = value;
                    case "--torch-script" -> o.torchScript = Path.of(value);
                    case "--json" -> o.json = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg + "; options: --threads=1,2"
                            + " --batches=16,64,256,1024 --rounds=5 --setups=" + String.join(",", DEFAULT_SETUPS)
                            + " --python=/usr/bin/python3 --torch-script=bench/torch_throughput.py --json=target/benchmark.json");
                }
            }
            return o;
        }

        /** The options a worker of {@code threadCount} threads needs. */
        List<String> forwarded(int threadCount) {
            return List.of("--threads=" + threadCount, "--batches=" + join(batches), "--setups=" + String.join(",", setups),
                    "--rounds=" + rounds, "--python=" + python, "--torch-script=" + torchScript);
        }

        private static List<Integer> integers(String value) {
            return Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
        }

        private static String join(List<Integer> values) {
            return String.join(",", values.stream().map(String::valueOf).toList());
        }
    }

    /** The batches of epoch 0's permutation (the engine's order) as a DL4J iterator, gathered per call. */
    static final class EpochBatches implements DataSetIterator {
        private final Dataset data;
        private final int batch;
        private final int steps;
        private final int[] order;
        private int next;

        EpochBatches(Dataset data, int batch, int steps) {
            this.data = data;
            this.batch = batch;
            this.steps = steps;
            this.order = EpochOrder.permutation(SEED, 0, data.trainSize());
        }

        @Override
        public boolean hasNext() {
            return next < steps;
        }

        @Override
        public DataSet next() {
            int step = next++;
            int[] rows = Arrays.copyOfRange(order, step * batch, (step + 1) * batch);
            return new DataSet(Nd4j.pullRows(data.trainFeatures(), 1, rows), Nd4j.pullRows(data.trainLabels(), 1, rows));
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

package dev.batchscope.trainer.bench;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Which route the lean dense path should take for its matrix products and its per-element work (docs/benchmarks.md,
 * "Routes"): for the eight products of one training step of the MLP 784-256-128-10 (three forward, three weight
 * gradients, two input gradients) nd4j's {@code Nd4j.gemm} on arrays allocated once, against OpenBLAS'
 * {@code cblas_sgemm} called directly through JavaCPP on the same memory; and for an SGD update of the 235k
 * parameters, three nd4j ops against one Java loop over a direct buffer. Best of several rounds, microseconds per step.
 */
public final class GemmRouteBenchmark {
    private static final int[] BATCHES = {16, 64, 256, 1024};
    private static final int[] WIDTHS = {784, 256, 128, 10};
    private static final int ROUNDS = 7;

    private GemmRouteBenchmark() {
    }

    public static void main(String[] args) {
        Nd4j.create(1);
        Loader.load(openblas_nolapack.class);
        System.out.printf(Locale.ROOT, "OpenBLAS %s, core %s; OMP_NUM_THREADS=%s%n", openblas_nolapack.OPENBLAS_VERSION,
                openblas_nolapack.OPENBLAS_CHAR_CORENAME, System.getenv("OMP_NUM_THREADS"));
        System.out.println("| batch | nd4j gemm, us/step | cblas_sgemm, us/step | nd4j / cblas |");
        System.out.println("|---:|---:|---:|---:|");
        for (int batch : BATCHES) {
            Layers layers = new Layers(batch);
            int reps = Math.max(5, 20_000 / batch);
            double nd4j = Double.MAX_VALUE;
            double cblas = Double.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++) {
                nd4j = Math.min(nd4j, time(reps, layers::nd4jStep));
                cblas = Math.min(cblas, time(reps, layers::cblasStep));
            }
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.2f |%n", batch, nd4j, cblas, nd4j / cblas);
        }

        int parameters = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, parameters);
        INDArray gradient = Nd4j.rand(DataType.FLOAT, 1, parameters);
        FloatBuffer p = params.data().asNioFloat();
        FloatBuffer g = gradient.data().asNioFloat();
        double ops = Double.MAX_VALUE;
        double loop = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            ops = Math.min(ops, time(200, () -> {
                gradient.divi(16);
                gradient.muli(0.01);
                params.subi(gradient);
                gradient.muli(16 / 0.01);
            }));
            loop = Math.min(loop, time(200, () -> {
                for (int i = 0; i < parameters; i++) {
                    p.put(i, p.get(i) - g.get(i) / 16f * 0.01f);
                }
            }));
        }
        System.out.printf(Locale.ROOT, "SGD update of %d parameters: nd4j ops %.1f us (4 ops), Java loop over a direct buffer %.1f us%n",
                parameters, ops, loop);
    }

    private static double time(int reps, Runnable step) {
        step.run();
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            step.run();
        }
        return (System.nanoTime() - start) / 1e3 / reps;
    }

    /** Activations and deltas [batch x width] (row-major) and weights [in x out] (column-major, as DL4J keeps them). */
    private static final class Layers {
        final int batch;
        final INDArray[] activations = new INDArray[WIDTHS.length];
        final INDArray[] deltas = new INDArray[WIDTHS.length];
        final INDArray[] weights = new INDArray[WIDTHS.length - 1];
        final INDArray[] weightGradients = new INDArray[WIDTHS.length - 1];
        final FloatBuffer[] a = new FloatBuffer[WIDTHS.length];
        final FloatBuffer[] d = new FloatBuffer[WIDTHS.length];
        final FloatBuffer[] w = new FloatBuffer[WIDTHS.length - 1];
        final FloatBuffer[] gw = new FloatBuffer[WIDTHS.length - 1];

        Layers(int batch) {
            this.batch = batch;
            for (int l = 0; l < WIDTHS.length; l++) {
                activations[l] = Nd4j.rand(DataType.FLOAT, batch, WIDTHS[l]);
                deltas[l] = Nd4j.rand(DataType.FLOAT, batch, WIDTHS[l]);
                a[l] = activations[l].data().asNioFloat();
                d[l] = deltas[l].data().asNioFloat();
            }
            for (int l = 0; l < weights.length; l++) {
                weights[l] = Nd4j.rand(DataType.FLOAT, 'f', WIDTHS[l], WIDTHS[l + 1]);
                weightGradients[l] = Nd4j.create(DataType.FLOAT, new long[]{WIDTHS[l], WIDTHS[l + 1]}, 'f');
                w[l] = weights[l].data().asNioFloat();
                gw[l] = weightGradients[l].data().asNioFloat();
            }
        }

        void nd4jStep() {
            for (int l = 0; l < weights.length; l++) {
                Nd4j.gemm(activations[l], weights[l], activations[l + 1], false, false, 1.0, 0.0);
            }
            for (int l = weights.length - 1; l >= 0; l--) {
                Nd4j.gemm(activations[l], deltas[l + 1], weightGradients[l], true, false, 1.0, 0.0);
                if (l > 0) {
                    Nd4j.gemm(deltas[l + 1], weights[l], deltas[l], false, true, 1.0, 0.0);
                }
            }
        }

        void cblasStep() {
            int rowMajor = openblas_nolapack.CblasRowMajor;
            int no = openblas_nolapack.CblasNoTrans;
            int t = openblas_nolapack.CblasTrans;
            for (int l = 0; l < weights.length; l++) {
                int in = WIDTHS[l];
                int out = WIDTHS[l + 1];
                // Z = A W with W column-major [in x out], i.e. row-major [out x in] transposed
                openblas_nolapack.cblas_sgemm(rowMajor, no, t, batch, out, in, 1f, a[l], in, w[l], in, 0f, a[l + 1], out);
            }
            for (int l = weights.length - 1; l >= 0; l--) {
                int in = WIDTHS[l];
                int out = WIDTHS[l + 1];
                // dW (column-major [in x out]) = row-major [out x in] = D^T A
                openblas_nolapack.cblas_sgemm(rowMajor, t, no, out, in, batch, 1f, d[l + 1], out, a[l], in, 0f, gw[l], in);
                if (l > 0) {
                    // dA = D W^T
                    openblas_nolapack.cblas_sgemm(rowMajor, no, no, batch, in, out, 1f, d[l + 1], out, w[l], in, 0f, d[l], in);
                }
            }
        }
    }
}

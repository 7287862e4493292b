package dev.batchscope.trainer.engine.dense;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.FloatBuffer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * The three matrix products of a dense layer, straight to OpenBLAS' {@code cblas_sgemm} through JavaCPP: the same
 * library nd4j links (one copy in the process, its threads set by OPENBLAS_NUM_THREADS / OMP_NUM_THREADS), without
 * nd4j's per-call cost, which measured 1.1 to 1.5 times the product itself at these sizes (GemmRouteBenchmark).
 *
 * <p>Activations are row-major [batch x width]. Weights are kept as DL4J keeps them, column-major [in x out], which
 * is the same memory as a row-major [out x in] matrix: the products below transpose it for free.
 */
final class Blas {
    static {
        Loader.load(openblas_nolapack.class);
    }

    private Blas() {
    }

    /** output[batch x out] = input[batch x in] . W. */
    static void forward(int batch, int in, int out, FloatBuffer input, FloatBuffer weights, FloatBuffer output) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, out, in,
                1f, input, in, weights, in, 0f, output, out);
    }

    /** dW = input^T . delta, written column-major [in x out] like W (as row-major [out x in]: delta^T . input). */
    static void weightGradient(int batch, int in, int out, FloatBuffer delta, FloatBuffer input, FloatBuffer weightGradient) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, batch,
                1f, delta, out, input, in, 0f, weightGradient, in);
    }

    /** inputGradient[batch x in] = delta[batch x out] . W^T. */
    static void inputGradient(int batch, int in, int out, FloatBuffer delta, FloatBuffer weights, FloatBuffer inputGradient) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, in, out,
                1f, delta, out, weights, in, 0f, inputGradient, in);
    }

    /** |x|^2 of the first {@code n} floats, accumulated in double. */
    static double squaredNorm(int n, FloatBuffer x) {
        return openblas_nolapack.cblas_dsdot(n, x, 1, x, 1);
    }
}

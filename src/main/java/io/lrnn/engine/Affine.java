package io.lrnn.engine;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The affine map {@code U W^T + 1 b^T} shared by every layer, and its backward pass. It is
 * computed feature-major, {@code Z^T = W U^T + b 1^T}, so that every product streams rows of
 * its right operand. The products use {@link #multiply}, a register-blocked kernel that ran
 * about twice as fast as EJML's products on this engine's shapes (MatrixProductBenchmark) and
 * allocates nothing.
 */
final class Affine {

    private Affine() {
    }

    /**
     * {@code outT = W input^T + b 1^T} (out x rows), W being out x in (row-major in {@code weight});
     * {@code inputT} receives input^T. Modifies inputT and outT.
     */
    static void forwardTransposed(DMatrixRMaj input, double[] weight, double[] bias, DMatrixRMaj inputT,
                                  DMatrixRMaj outT) {
        int outRows = bias.length;
        int rows = input.numRows;
        int in = input.numCols;
        CommonOps_DDRM.transpose(input, inputT);
        outT.reshape(outRows, rows, false);
        multiply(weight, in, 1, inputT.data, outT.data, outRows, rows, in, false);
        double[] o = outT.data;
        for (int c = 0; c < outRows; c++) {
            double bc = bias[c];
            for (int b = c * rows; b < (c + 1) * rows; b++) {
                o[b] += bc;
            }
        }
    }

    /**
     * From {@code gradOutT} (out x rows): adds {@code gradOutT input} to {@code gradWeight} and its
     * row sums to {@code gradBias}; if {@code gradIn} is not null, sets it to
     * {@code gradOutT^T W} (rows x in).
     */
    static void backwardTransposed(DMatrixRMaj input, double[] weight, DMatrixRMaj gradOutT,
                                   double[] gradWeight, double[] gradBias, DMatrixRMaj gradIn) {
        int outRows = gradBias.length;
        int rows = input.numRows;
        int in = input.numCols;
        multiply(gradOutT.data, rows, 1, input.data, gradWeight, outRows, in, rows, true);
        for (int c = 0; c < outRows; c++) {
            gradBias[c] += Reductions.sum(gradOutT.data, c * rows, rows);
        }
        if (gradIn != null) {
            gradIn.reshape(rows, in, false);
            multiply(gradOutT.data, 1, rows, weight, gradIn.data, rows, in, outRows, false);
        }
    }

    /**
     * {@code C = A B}, or {@code C += A B} if {@code add}: C is m x n and B is k x n, both
     * row-major and dense; A's element (i, q) is {@code a[i * rowStride + q * colStride]}, so A
     * may be a transposed view. Two rows of C take four rows of B at a time: each loaded value of
     * B serves eight multiply-adds, and the innermost loop runs along rows, which the JIT
     * vectorises. Every entry of C is accumulated in the order q = 0, 1, ..., k - 1 whatever the
     * blocking, so a row of a block gives bit for bit what it gives alone.
     */
    static void multiply(double[] a, int rowStride, int colStride, double[] b, double[] c, int m, int n, int k,
                         boolean add) {
        if (!add) {
            Arrays.fill(c, 0, m * n, 0);
        }
        if (n == 1) {
            multiplyVector(a, rowStride, colStride, b, c, m, k);
            return;
        }
        int i = 0;
        for (; i + 1 < m; i += 2) {
            int c0 = i * n;
            int c1 = c0 + n;
            int a0 = i * rowStride;
            int a1 = a0 + rowStride;
            int q = 0;
            for (; q + 3 < k; q += 4) {
                double a00 = a[a0 + q * colStride];
                double a01 = a[a0 + (q + 1) * colStride];
                double a02 = a[a0 + (q + 2) * colStride];
                double a03 = a[a0 + (q + 3) * colStride];
                double a10 = a[a1 + q * colStride];
                double a11 = a[a1 + (q + 1) * colStride];
                double a12 = a[a1 + (q + 2) * colStride];
                double a13 = a[a1 + (q + 3) * colStride];
                int b0 = q * n;
                int b1 = b0 + n;
                int b2 = b1 + n;
                int b3 = b2 + n;
                for (int j = 0; j < n; j++) {
                    double x0 = b[b0 + j];
                    double x1 = b[b1 + j];
                    double x2 = b[b2 + j];
                    double x3 = b[b3 + j];
                    c[c0 + j] = MulAdd.of(a03, x3, MulAdd.of(a02, x2,
                            MulAdd.of(a01, x1, MulAdd.of(a00, x0, c[c0 + j]))));
                    c[c1 + j] = MulAdd.of(a13, x3, MulAdd.of(a12, x2,
                            MulAdd.of(a11, x1, MulAdd.of(a10, x0, c[c1 + j]))));
                }
            }
            for (; q < k; q++) {
                axpy(a[a0 + q * colStride], b, q * n, c, c0, n);
                axpy(a[a1 + q * colStride], b, q * n, c, c1, n);
            }
        }
        if (i < m) {
            for (int q = 0; q < k; q++) {
                axpy(a[i * rowStride + q * colStride], b, q * n, c, i * n, n);
            }
        }
    }

    /**
     * {@link #multiply} for n = 1 (a single row's forward pass), without the loop over columns,
     * whose single iteration would cost more than its arithmetic.
     */
    private static void multiplyVector(double[] a, int rowStride, int colStride, double[] b, double[] c, int m,
                                       int k) {
        for (int i = 0; i < m; i++) {
            int ai = i * rowStride;
            double sum = c[i];
            for (int q = 0; q < k; q++) {
                sum = MulAdd.of(a[ai + q * colStride], b[q], sum);
            }
            c[i] = sum;
        }
    }

    /** {@code y[yFrom + j] += alpha x[xFrom + j]} for j < n. */
    private static void axpy(double alpha, double[] x, int xFrom, double[] y, int yFrom, int n) {
        for (int j = 0; j < n; j++) {
            y[yFrom + j] = MulAdd.of(alpha, x[xFrom + j], y[yFrom + j]);
        }
    }

    /** Fills {@code values} uniformly in [-limit, limit). */
    static void uniform(double[] values, double limit, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = limit * (2 * random.nextDouble() - 1);
        }
    }
}

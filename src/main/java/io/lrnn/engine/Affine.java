package io.lrnn.engine;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The affine map {@code U W^T + 1 b^T} shared by every layer, and its backward pass. It is
 * computed feature-major, {@code Z^T = W U^T + b 1^T}, so that every product streams rows of
 * its right operand. The products use {@link #multiply}, a kernel whose inner loop the JIT
 * vectorises, faster than EJML's products on this engine's shapes (MatrixProductBenchmark), which
 * allocates nothing once its per-thread row buffers have grown.
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

    /** Per-thread panel of B's rows and one row of C, kept between calls (no allocation per step). */
    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    /**
     * {@code C = A B}, or {@code C += A B} if {@code add}: C is m x n and B is k x n, both
     * row-major and dense; A's element (i, q) is {@code a[i * rowStride + q * colStride]}, so A
     * may be a transposed view. B's rows are copied, a panel at a time, into arrays of their own and
     * each row of C is accumulated in one, so that the innermost loop (along a row, four rows of B at
     * a time) reads and writes distinct arrays from index 0: the JIT then vectorises it, which it does not when
     * the rows are offsets into one array (it cannot tell them apart); 2.2 times the throughput of
     * the single-array loop on the paper shape's products ({@code MultiplyCost}). Every entry of C
     * is accumulated in the order q = 0, 1, ..., k - 1, in the same groups of four terms, so a row of
     * a block gives bit for bit what it gives alone (and what the engine gave before).
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
        Rows rows = ROWS.get();
        double[] t = rows.row(n);
        for (int from = 0; from < k; from += Rows.PANEL) {
            int to = Math.min(k, from + Rows.PANEL);
            double[][] bRows = rows.of(b, from, to, n);
            for (int i = 0; i < m; i++) {
                System.arraycopy(c, i * n, t, 0, n);
                int ai = i * rowStride;
                int q = from;
                for (; q + 3 < to; q += 4) {
                    fourTerms(a[ai + q * colStride], a[ai + (q + 1) * colStride], a[ai + (q + 2) * colStride],
                            a[ai + (q + 3) * colStride], bRows[q - from], bRows[q + 1 - from], bRows[q + 2 - from],
                            bRows[q + 3 - from], t, n);
                }
                for (; q < to; q++) {
                    double aq = a[ai + q * colStride];
                    double[] x = bRows[q - from];
                    for (int j = 0; j < n; j++) {
                        t[j] = MulAdd.of(aq, x[j], t[j]);
                    }
                }
                System.arraycopy(t, 0, c, i * n, n);
            }
        }
    }

    /** {@code t[j] += a0 x0[j] + a1 x1[j] + a2 x2[j] + a3 x3[j]} for j < n, summed in that order. */
    private static void fourTerms(double a0, double a1, double a2, double a3, double[] x0, double[] x1, double[] x2,
                                  double[] x3, double[] t, int n) {
        for (int j = 0; j < n; j++) {
            t[j] = MulAdd.of(a3, x3[j], MulAdd.of(a2, x2[j], MulAdd.of(a1, x1[j], MulAdd.of(a0, x0[j], t[j]))));
        }
    }

    /**
     * Row buffers of {@link #multiply}: a panel of at most {@link #PANEL} rows of B and one row of C,
     * so a thread holds at most PANEL + 1 rows of the widest product it has run (not a copy of B).
     */
    private static final class Rows {
        /** Rows of B per panel; a multiple of 4, so that panels keep {@link #multiply}'s grouping of terms. */
        static final int PANEL = 64;

        private final double[][] rows = new double[PANEL][];
        private double[] row = new double[0];

        /** Rows {@code from} to {@code to} of B (n values each), copied into the panel. */
        double[][] of(double[] b, int from, int to, int n) {
            for (int q = from; q < to; q++) {
                double[] target = rows[q - from];
                if (target == null || target.length < n) {
                    target = new double[n];
                    rows[q - from] = target;
                }
                System.arraycopy(b, q * n, target, 0, n);
            }
            return rows;
        }

        double[] row(int n) {
            if (row.length < n) {
                row = new double[n];
            }
            return row;
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

    /** Fills {@code values} uniformly in [-limit, limit). */
    static void uniform(double[] values, double limit, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = limit * (2 * random.nextDouble() - 1);
        }
    }
}

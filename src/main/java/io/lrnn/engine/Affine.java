package io.lrnn.engine;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The affine map {@code U W^T + 1 b^T} shared by every layer, and its backward pass. It is
 * computed feature-major, {@code Z^T = W U^T + b 1^T}, because EJML's plain product streams
 * rows (SIMD-friendly) while its transposed-operand products reduce dot products one by one.
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
        CommonOps_DDRM.transpose(input, inputT);
        outT.reshape(outRows, rows, false);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(outRows, input.numCols, weight), inputT, outT);
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
        CommonOps_DDRM.multAdd(gradOutT, input, DMatrixRMaj.wrap(outRows, input.numCols, gradWeight));
        for (int c = 0; c < outRows; c++) {
            gradBias[c] += Reductions.sum(gradOutT.data, c * rows, rows);
        }
        if (gradIn != null) {
            gradIn.reshape(rows, input.numCols, false);
            CommonOps_DDRM.multTransA(gradOutT, DMatrixRMaj.wrap(outRows, input.numCols, weight), gradIn);
        }
    }

    /** Fills {@code values} uniformly in [-limit, limit). */
    static void uniform(double[] values, double limit, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = limit * (2 * random.nextDouble() - 1);
        }
    }
}

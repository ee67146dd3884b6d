package io.lrnn.engine;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** The affine map {@code U W^T + 1 b^T} shared by every layer, and its backward pass. */
final class Affine {

    private Affine() {
    }

    /** {@code out = input W^T + b}; W is out x in (row-major in {@code weight}). Modifies out. */
    static void forward(DMatrixRMaj input, double[] weight, double[] bias, DMatrixRMaj out) {
        int outCols = bias.length;
        DMatrixRMaj w = DMatrixRMaj.wrap(outCols, input.numCols, weight);
        out.reshape(input.numRows, outCols, false);
        CommonOps_DDRM.multTransB(input, w, out);
        double[] o = out.data;
        for (int row = 0, at = 0; row < input.numRows; row++) {
            for (int c = 0; c < outCols; c++, at++) {
                o[at] += bias[c];
            }
        }
    }

    /**
     * Adds {@code gradOut^T input} to {@code gradWeight} and the column sums of {@code gradOut}
     * to {@code gradBias}; if {@code gradIn} is not null, sets it to {@code gradOut W}.
     */
    static void backward(DMatrixRMaj input, double[] weight, DMatrixRMaj gradOut,
                         double[] gradWeight, double[] gradBias, DMatrixRMaj gradIn) {
        int outCols = gradBias.length;
        DMatrixRMaj gw = DMatrixRMaj.wrap(outCols, input.numCols, gradWeight);
        CommonOps_DDRM.multAddTransA(gradOut, input, gw);
        double[] g = gradOut.data;
        for (int row = 0, at = 0; row < gradOut.numRows; row++) {
            for (int c = 0; c < outCols; c++, at++) {
                gradBias[c] += g[at];
            }
        }
        if (gradIn != null) {
            gradIn.reshape(gradOut.numRows, input.numCols, false);
            CommonOps_DDRM.mult(gradOut, DMatrixRMaj.wrap(outCols, input.numCols, weight), gradIn);
        }
    }

    /** Fills {@code values} uniformly in [-limit, limit). */
    static void uniform(double[] values, double limit, java.util.SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = limit * (2 * random.nextDouble() - 1);
        }
    }
}

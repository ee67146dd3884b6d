package io.lrnn.engine;

import org.ejml.data.DMatrixRMaj;

/**
 * One layer's intermediate values for a block of rows, kept from forward to backward and reused
 * from block to block (matrices are reshaped, not reallocated, when the block shrinks).
 */
final class LayerBuffers {
    /** Layer output Y, rows x width. */
    final DMatrixRMaj out = new DMatrixRMaj(1, 1);
    /** Pre-activation: Z = U W^T + b (LRNN: rows x r*d; dense: rows x width). */
    final DMatrixRMaj pre = new DMatrixRMaj(1, 1);
    /** LRNN factors f_ij, rows x r*d. */
    final DMatrixRMaj factors = new DMatrixRMaj(1, 1);
    /** LRNN normalised products N (LayerNorm only), rows x r. */
    final DMatrixRMaj normalized = new DMatrixRMaj(1, 1);
    /** LayerNorm 1 / sqrt(var + eps) per row. */
    double[] invStd = new double[1];
    /** Gradient with respect to {@link #pre}. */
    final DMatrixRMaj gradPre = new DMatrixRMaj(1, 1);
    /** Gradient with respect to the layer's input, rows x n. */
    final DMatrixRMaj gradIn = new DMatrixRMaj(1, 1);
    /** Gradient with respect to the layer's products P (LRNN), rows x r. */
    final DMatrixRMaj gradProduct = new DMatrixRMaj(1, 1);
    /** Scratch for suffix products, length d + 1. */
    double[] suffix = new double[1];

    double[] invStd(int rows) {
        if (invStd.length < rows) {
            invStd = new double[rows];
        }
        return invStd;
    }

    double[] suffix(int length) {
        if (suffix.length < length) {
            suffix = new double[length];
        }
        return suffix;
    }
}

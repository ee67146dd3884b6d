package io.lrnn.engine;

import org.ejml.data.DMatrixRMaj;

/**
 * One layer's intermediate values for a block of rows, kept from forward to backward and reused
 * from block to block (matrices are reshaped, not reallocated, when the block shrinks).
 */
final class LayerBuffers {
    /** Layer output Y, rows x width. */
    final DMatrixRMaj out = new DMatrixRMaj(1, 1);
    /** The layer's input, transposed (in x rows). */
    final DMatrixRMaj inputT = new DMatrixRMaj(1, 1);
    /** Pre-activation, transposed: Z^T = W U^T + b (LRNN: r*d x rows; dense: width x rows). */
    final DMatrixRMaj preT = new DMatrixRMaj(1, 1);
    /** LRNN normalised products N (LayerNorm only), rows x r. */
    final DMatrixRMaj normalized = new DMatrixRMaj(1, 1);
    /** LayerNorm 1 / sqrt(var + eps) per row. */
    double[] invStd = new double[1];
    /** Gradient with respect to {@link #preT}, transposed like it. */
    final DMatrixRMaj gradPreT = new DMatrixRMaj(1, 1);
    /** Gradient with respect to the layer's input, rows x n. */
    final DMatrixRMaj gradIn = new DMatrixRMaj(1, 1);
    /** Gradient with respect to the layer's products P (LRNN), rows x r. */
    final DMatrixRMaj gradProduct = new DMatrixRMaj(1, 1);
    /** LRNN factors f, transposed like preT (r*d x rows). */
    final DMatrixRMaj factorsT = new DMatrixRMaj(1, 1);
    /** Transposed LRNN products or dense outputs; backward reuses it for their gradient. */
    final DMatrixRMaj outT = new DMatrixRMaj(1, 1);
    private double[][] scratch = new double[0][];

    double[] invStd(int rows) {
        if (invStd.length < rows) {
            invStd = new double[rows];
        }
        return invStd;
    }

    /** Scratch array number {@code slot} with at least {@code length} values (contents undefined). */
    double[] scratch(int slot, int length) {
        if (scratch.length <= slot) {
            scratch = java.util.Arrays.copyOf(scratch, slot + 1);
        }
        if (scratch[slot] == null || scratch[slot].length < length) {
            scratch[slot] = new double[length];
        }
        return scratch[slot];
    }
}

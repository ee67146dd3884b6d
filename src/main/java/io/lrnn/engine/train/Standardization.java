package io.lrnn.engine.train;

import io.lrnn.engine.Normalization;
import org.ejml.data.DMatrixRMaj;

/** Fits a {@link Normalization} on training rows and applies it to copies of the data. */
final class Standardization {

    /** Columns whose spread is below this are left unscaled (a constant column stays constant). */
    private static final double MIN_STD = 1e-12;

    private Standardization() {
    }

    /** Mean and population standard deviation of each column over {@code rows[0..count)}. */
    static double[][] meanAndStd(DMatrixRMaj m, int[] rows, int count) {
        int cols = m.numCols;
        double[] mean = new double[cols];
        double[] std = new double[cols];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < cols; c++) {
                mean[c] += m.data[rows[i] * cols + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            mean[c] /= count;
        }
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < cols; c++) {
                double dev = m.data[rows[i] * cols + c] - mean[c];
                std[c] += dev * dev;
            }
        }
        for (int c = 0; c < cols; c++) {
            std[c] = Math.sqrt(std[c] / count);
            if (!(std[c] > MIN_STD)) {
                std[c] = 1;
            }
        }
        return new double[][] {mean, std};
    }

    /** Input statistics always; target statistics for regression when {@code targets} is true. */
    static Normalization fit(DMatrixRMaj x, DMatrixRMaj y, int[] rows, int count, boolean regression,
                             boolean targets) {
        double[][] in = meanAndStd(x, rows, count);
        if (!regression) {
            return new Normalization(in[0], in[1], new double[0], new double[0]);
        }
        if (!targets) {
            Normalization identity = Normalization.identity(0, y.numCols);
            return new Normalization(in[0], in[1], identity.targetMean(), identity.targetStd());
        }
        double[][] out = meanAndStd(y, rows, count);
        return new Normalization(in[0], in[1], out[0], out[1]);
    }

    /** A standardised copy of the features. */
    static DMatrixRMaj inputs(Normalization norm, DMatrixRMaj x) {
        DMatrixRMaj copy = x.copy();
        for (int b = 0; b < copy.numRows; b++) {
            norm.normalizeInput(copy.data, b * copy.numCols);
        }
        return copy;
    }

    /** A standardised copy of regression targets (classification targets are returned as they are). */
    static DMatrixRMaj targets(Normalization norm, DMatrixRMaj y, boolean regression) {
        if (!regression) {
            return y;
        }
        DMatrixRMaj copy = y.copy();
        for (int b = 0; b < copy.numRows; b++) {
            norm.normalizeTarget(copy.data, b * copy.numCols);
        }
        return copy;
    }
}

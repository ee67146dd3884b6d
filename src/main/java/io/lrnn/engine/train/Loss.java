package io.lrnn.engine.train;

import io.lrnn.engine.Network;
import org.ejml.data.DMatrixRMaj;

/** Training losses, averaged over the rows of a batch. */
public enum Loss {
    /** Mean over the K outputs of the squared error; targets are rows x K. */
    MSE,
    /** Softmax cross-entropy on the head's logits; targets are rows x 1 class indices. */
    CROSS_ENTROPY;

    /**
     * Returns the sum over the rows of {@code output} of their loss, and if {@code grad} is not
     * null sets it to {@code scale} times the derivative of that sum with respect to
     * {@code output} (modifies grad only).
     */
    public double evaluate(DMatrixRMaj output, DMatrixRMaj target, double scale, DMatrixRMaj grad) {
        int rows = output.numRows;
        int k = output.numCols;
        double[] y = output.data;
        double[] t = target.data;
        if (grad != null) {
            grad.reshape(rows, k, false);
        }
        double sum = 0;
        if (this == MSE) {
            for (int i = 0; i < rows * k; i++) {
                double diff = y[i] - t[i];
                sum += diff * diff / k;
                if (grad != null) {
                    grad.data[i] = scale * 2 * diff / k;
                }
            }
            return sum;
        }
        double[] p = grad != null ? grad.data : new double[k];
        for (int b = 0; b < rows; b++) {
            int offset = grad != null ? b * k : 0;
            System.arraycopy(y, b * k, p, offset, k);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, p[offset + j]);
            }
            double norm = 0;
            for (int j = 0; j < k; j++) {
                norm += Math.exp(p[offset + j] - max);
            }
            int label = (int) t[b];
            sum += max + Math.log(norm) - y[b * k + label];
            if (grad != null) {
                Network.softmaxInPlace(p, offset, k);
                p[offset + label] -= 1;
                for (int j = 0; j < k; j++) {
                    p[offset + j] *= scale;
                }
            }
        }
        return sum;
    }

    /** Number of rows whose largest output is the target class (classification only). */
    public static int correct(DMatrixRMaj output, DMatrixRMaj target) {
        int k = output.numCols;
        int hits = 0;
        for (int b = 0; b < output.numRows; b++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (output.data[b * k + j] > output.data[b * k + best]) {
                    best = j;
                }
            }
            hits += best == (int) target.data[b] ? 1 : 0;
        }
        return hits;
    }
}

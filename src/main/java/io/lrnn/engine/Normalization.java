package io.lrnn.engine;

import static io.lrnn.engine.SpecException.require;

/**
 * Standardisation stored with a model (LRNN.md section 6): {@code x' = (x - inputMean) / inputStd}
 * before the network and, for regression, {@code y = y' * targetStd + targetMean} after it.
 * Target arrays are empty for classification.
 */
public record Normalization(double[] inputMean, double[] inputStd, double[] targetMean, double[] targetStd) {

    public Normalization {
        require(inputMean.length == inputStd.length, "normalization.inputStd", inputMean.length + " values",
                inputStd.length);
        require(targetMean.length == targetStd.length, "normalization.targetStd", targetMean.length + " values",
                targetStd.length);
        checkValues("normalization.inputMean", inputMean, false);
        checkValues("normalization.inputStd", inputStd, true);
        checkValues("normalization.targetMean", targetMean, false);
        checkValues("normalization.targetStd", targetStd, true);
        inputMean = inputMean.clone();
        inputStd = inputStd.clone();
        targetMean = targetMean.clone();
        targetStd = targetStd.clone();
    }

    private static void checkValues(String field, double[] values, boolean positive) {
        for (int i = 0; i < values.length; i++) {
            require(Double.isFinite(values[i]) && (!positive || values[i] > 0), field + "[" + i + "]",
                    positive ? "a finite number > 0" : "a finite number", values[i]);
        }
    }

    /** The identity transform for {@code inputs} features and {@code targets} regression targets. */
    public static Normalization identity(int inputs, int targets) {
        double[] ones = new double[Math.max(inputs, targets)];
        java.util.Arrays.fill(ones, 1);
        return new Normalization(new double[inputs], java.util.Arrays.copyOf(ones, inputs), new double[targets],
                java.util.Arrays.copyOf(ones, targets));
    }

    /** Standardises {@code row} in place. */
    public void normalizeInput(double[] row, int offset) {
        for (int i = 0; i < inputMean.length; i++) {
            row[offset + i] = (row[offset + i] - inputMean[i]) / inputStd[i];
        }
    }

    /** Standardises regression targets in place. */
    public void normalizeTarget(double[] row, int offset) {
        for (int i = 0; i < targetMean.length; i++) {
            row[offset + i] = (row[offset + i] - targetMean[i]) / targetStd[i];
        }
    }

    /** Maps the network's regression output back to target units, in place. */
    public void denormalizeTarget(double[] row, int offset) {
        for (int i = 0; i < targetMean.length; i++) {
            row[offset + i] = row[offset + i] * targetStd[i] + targetMean[i];
        }
    }
}

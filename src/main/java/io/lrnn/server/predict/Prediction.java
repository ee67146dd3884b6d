package io.lrnn.server.predict;

import io.lrnn.server.models.LoadedModel;

/**
 * The outputs of one request: {@code outputs[row]} holds the regression values, or the class
 * probabilities, in the order of the model's outputs.
 */
public record Prediction(LoadedModel model, double[][] outputs) {

    /** The label with the largest probability in {@code row} (classification). */
    public String label(int row) {
        double[] p = outputs[row];
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return model.model().outputs().get(best);
    }
}

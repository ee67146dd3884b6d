package io.lrnn.server.predict;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Normalization;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/** Small seeded models for the Open Inference Protocol tests, and the engine's own answers as reference. */
final class OpenInferenceModels {

    static final List<String> REGRESSION_FEATURES = List.of("x1", "x2");
    static final List<String> IRIS_FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
    static final List<String> IRIS_LABELS = List.of("setosa", "versicolor", "virginica");

    private OpenInferenceModels() {
    }

    /** Two features, two targets (so the [B, K] layout is visible), standardised inputs and targets. */
    static Model regression(long seed) {
        NetworkSpec spec = new NetworkSpec(2, List.of(
                new LrnnLayerSpec(8, 2, 4, UnivariateActivation.SIN, 1.0, false, false)), 2, Task.REGRESSION);
        Normalization norm = new Normalization(new double[] {0.5, -1.0}, new double[] {2.0, 0.5},
                new double[] {10.0, -3.0}, new double[] {4.0, 0.25});
        return new Model(Network.initialize(spec, seed), REGRESSION_FEATURES, List.of("y1", "y2"), norm, null);
    }

    /** Four iris features, three classes, so the KServe iris example can be sent as published. */
    static Model iris(long seed) {
        NetworkSpec spec = new NetworkSpec(4, List.of(
                new LrnnLayerSpec(8, 2, 4, UnivariateActivation.SIN, 1.0, false, true)), 3, Task.CLASSIFICATION);
        Normalization norm = new Normalization(new double[] {5.8, 3.0, 3.7, 1.2},
                new double[] {0.8, 0.4, 1.7, 0.7}, new double[0], new double[0]);
        return new Model(Network.initialize(spec, seed), IRIS_FEATURES, IRIS_LABELS, norm, null);
    }

    /** The engine's batch prediction for {@code rows}, row-major (the layout of a V2 [B, K] tensor). */
    static double[] predict(Model model, double[][] rows) {
        DMatrixRMaj y = model.predict(new DMatrixRMaj(rows));
        return y.data.clone();
    }

    /** The label with the largest probability for each row of {@code probabilities} ([B, K] row-major). */
    static List<String> argmaxLabels(Model model, double[] probabilities) {
        int k = model.outputs().size();
        String[] labels = new String[probabilities.length / k];
        for (int b = 0; b < labels.length; b++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (probabilities[b * k + j] > probabilities[b * k + best]) {
                    best = j;
                }
            }
            labels[b] = model.outputs().get(best);
        }
        return List.of(labels);
    }

    /** {@code rows} as an FP32 tensor holds them: each value rounded to float. */
    static double[][] asFloat(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int b = 0; b < rows.length; b++) {
            out[b] = new double[rows[b].length];
            for (int i = 0; i < rows[b].length; i++) {
                out[b][i] = (float) rows[b][i];
            }
        }
        return out;
    }
}

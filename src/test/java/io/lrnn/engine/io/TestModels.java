package io.lrnn.engine.io;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Normalization;
import io.lrnn.engine.Task;
import io.lrnn.engine.Tensor;
import io.lrnn.engine.UnivariateActivation;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Seeded models for the io tests, with every parameter perturbed so no value is a trivial 0 or 1. */
final class TestModels {

    static final long SEED = 20260101L;

    private TestModels() {
    }

    /** Two LRNN layers, per-neuron functions, LayerNorm, omega0 = 30; three inputs, two targets. */
    static Model lrnnRegression() {
        NetworkSpec spec = new NetworkSpec(3, List.of(
                new LrnnLayerSpec(8, 3, 4, UnivariateActivation.SIN, 30.0, false, true),
                new LrnnLayerSpec(5, 2, 3, UnivariateActivation.SIN, 1.0, false, true)), 2, Task.REGRESSION);
        Normalization norm = new Normalization(new double[] {1.5, -2.0, 100.0}, new double[] {0.5, 3.0, 25.0},
                new double[] {10.0, -0.25}, new double[] {2.0, 0.125});
        Model.Provenance provenance = new Model.Provenance("2026-01-01T00:00:00Z", "lrnn-serve 0.1.0 (test)",
                "sha256:0123abcd", Map.of("epochs", 12, "learningRate", 0.001, "optimizer", "adam",
                "schedule", Map.of("kind", "cosine", "warmup", List.of(1, 2, 3)), "earlyStopping", true));
        return model(spec, List.of("x1", "x2", "x3"), List.of("y", "z"), norm, provenance);
    }

    /** One SPDER layer with shared functions, no LayerNorm, omega 2. */
    static Model sharedSpder() {
        NetworkSpec spec = new NetworkSpec(2, List.of(
                new LrnnLayerSpec(6, 4, 5, UnivariateActivation.SPDER, 2.0, true, false)), 1, Task.REGRESSION);
        Normalization norm = new Normalization(new double[] {0.25, 7.0}, new double[] {1.75, 0.01},
                new double[] {-3.0}, new double[] {4.5});
        return model(spec, List.of("t", "u"), List.of("signal"), norm, null);
    }

    /** Dense tanh, LRNN, dense sine: three classes. */
    static Model denseLrnnClassification() {
        List<LayerSpec> layers = List.of(new DenseLayerSpec(7, DenseActivation.TANH),
                new LrnnLayerSpec(4, 2, 3, UnivariateActivation.SIN, 1.0, false, true),
                new DenseLayerSpec(5, DenseActivation.SINE, 3.0));
        NetworkSpec spec = new NetworkSpec(4, layers, 3, Task.CLASSIFICATION);
        Normalization norm = new Normalization(new double[] {5.8, 3.0, 3.7, 1.2}, new double[] {0.8, 0.4, 1.7, 0.7},
                new double[0], new double[0]);
        return model(spec, List.of("sepal_length", "sepal_width", "petal_length", "petal_width"),
                List.of("setosa", "versicolor", "virginica"), norm,
                new Model.Provenance(null, "test", null, Map.of()));
    }

    static Model model(NetworkSpec spec, List<String> inputs, List<String> outputs, Normalization norm,
                       Model.Provenance provenance) {
        Network network = Network.initialize(spec, SEED);
        SplittableRandom random = new SplittableRandom(SEED + 1);
        for (Tensor t : network.parameters().tensors()) {
            double[] data = t.data();
            for (int i = 0; i < data.length; i++) {
                data[i] += 0.2 * (2 * random.nextDouble() - 1);
            }
        }
        return new Model(network, inputs, outputs, norm, provenance);
    }

    /** Seeded raw rows around the model's input mean, spread by its input std. */
    static DMatrixRMaj rows(Model model, int count) {
        int n = model.inputs().size();
        DMatrixRMaj x = new DMatrixRMaj(count, n);
        SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int b = 0; b < count; b++) {
            for (int j = 0; j < n; j++) {
                x.set(b, j, model.normalization().inputMean()[j]
                        + model.normalization().inputStd()[j] * (4 * random.nextDouble() - 2));
            }
        }
        return x;
    }
}

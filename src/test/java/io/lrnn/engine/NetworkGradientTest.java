package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The analytic backward pass of every layer kind against finite differences (LRNN.md section 4). */
class NetworkGradientTest {

    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> networks() {
        var sin = UnivariateActivation.SIN;
        var spder = UnivariateActivation.SPDER;
        return Stream.of(
                Arguments.of("sin, per-neuron, LayerNorm, two layers", new NetworkSpec(3, List.of(
                        new LrnnLayerSpec(5, 3, 4, sin, 3.0, false, true),
                        new LrnnLayerSpec(4, 2, 3, sin, 1.0, false, true)), 2, Task.REGRESSION)),
                Arguments.of("sin, omega 30, no LayerNorm", new NetworkSpec(2, List.of(
                        new LrnnLayerSpec(4, 4, 3, sin, 30.0, false, false)), 1, Task.REGRESSION)),
                Arguments.of("spder, shared functions, LayerNorm", new NetworkSpec(3, List.of(
                        new LrnnLayerSpec(6, 3, 4, spder, 2.0, true, true)), 2, Task.REGRESSION)),
                Arguments.of("spder, per-neuron, no LayerNorm, then sin shared", new NetworkSpec(2, List.of(
                        new LrnnLayerSpec(4, 2, 3, spder, 1.5, false, false),
                        new LrnnLayerSpec(3, 3, 2, sin, 1.0, true, false)), 3, Task.CLASSIFICATION)),
                Arguments.of("dense tanh, relu, sine and an LRNN layer", new NetworkSpec(3, List.of(
                        new DenseLayerSpec(6, DenseActivation.SINE, 5.0),
                        new DenseLayerSpec(5, DenseActivation.TANH),
                        new LrnnLayerSpec(4, 2, 3, sin, 1.0, false, true),
                        new DenseLayerSpec(4, DenseActivation.RELU)), 2, Task.REGRESSION)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void everyParameterAndTheInputMatchFiniteDifferences(String name, NetworkSpec spec) {
        Network network = Network.initialize(spec, 7);
        SplittableRandom random = new SplittableRandom(11);
        perturb(network.parameters(), random);
        DMatrixRMaj input = randomMatrix(5, spec.inputSize(), random);
        DMatrixRMaj weights = randomMatrix(5, spec.outputSize(), random);
        Workspace workspace = network.newWorkspace();

        // L = sum(Y .* weights), so dL/dY = weights.
        network.forward(input, workspace);
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        DMatrixRMaj inputGrad = network.backward(workspace, weights, grads, true).copy();

        for (int t = 0; t < grads.size(); t++) {
            double[] values = network.parameters().get(t).data();
            double[] numeric = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                numeric[i] = GradientCheck.numeric(values, i, () -> weightedSum(network, input, weights));
            }
            assertThat(GradientCheck.relativeError(grads.get(t).data(), numeric))
                    .as(grads.get(t).name()).isLessThan(TOLERANCE);
        }
        double[] numericInput = new double[input.data.length];
        for (int i = 0; i < numericInput.length; i++) {
            numericInput[i] = GradientCheck.numeric(input.data, i, () -> weightedSum(network, input, weights));
        }
        assertThat(GradientCheck.relativeError(inputGrad.data, numericInput)).as("input").isLessThan(TOLERANCE);
    }

    /** Moves every parameter off its initial value (e = 0, b = 0, alpha = 1 would hide bugs). */
    static void perturb(Parameters params, SplittableRandom random) {
        for (Tensor t : params.tensors()) {
            double[] v = t.data();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.3 * (2 * random.nextDouble() - 1);
            }
        }
    }

    static DMatrixRMaj randomMatrix(int rows, int cols, SplittableRandom random) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = 2 * random.nextDouble() - 1;
        }
        return m;
    }

    private static double weightedSum(Network network, DMatrixRMaj input, DMatrixRMaj weights) {
        DMatrixRMaj y = network.forward(input, network.newWorkspace());
        double sum = 0;
        for (int i = 0; i < y.data.length; i++) {
            sum += y.data[i] * weights.data[i];
        }
        return sum;
    }
}

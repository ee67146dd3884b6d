package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LRNN.md section 2: with gamma = d^(-1/2) the variance of a neuron's product P at initialisation
 * stays near e^(s^2) - 1 whatever d is, and the gradient reaching the factors, summed over them,
 * stays below Var[g'] e^(s^2); with gamma = 1 both explode or collapse as d grows.
 */
class VarianceControlTest {

    private static final int ROWS = 500;
    private static final int NEURONS = 64;
    private static final int INPUTS = 2;
    private static final int HIDDEN = 8;

    /**
     * Measured Var[P], s^2 = Var[g], sum_j Var[dP/dZ_j] and Var[g'] of one freshly initialised
     * layer (variances pooled over rows and neurons, and factors for g and g').
     */
    record Measured(double productVariance, double functionVariance, double gradientVariance,
                    double derivativeVariance) {
        double bound() {
            return Math.expm1(functionVariance);
        }

        double gradientBound() {
            return derivativeVariance * Math.exp(functionVariance);
        }
    }

    @ParameterizedTest(name = "d = {0}, omega = {1}")
    @CsvSource({"1, 30", "4, 30", "16, 30", "64, 30", "256, 30", "1, 1", "4, 1", "16, 1", "64, 1", "256, 1"})
    void withGammaTheProductAndGradientVariancesStayNearTheirBounds(int d, double omega) {
        Measured m = measure(d, omega, false);
        assertThat(m.productVariance() / m.bound()).as("Var[P] / (e^(s^2) - 1)").isBetween(0.5, 2.0);
        // At d = 1 the gradient ratio is e^(-s^2) (about 0.35 to 0.5) by construction; the factors
        // of a real layer share their inputs, so the independent-factor bound may be passed a little.
        assertThat(m.gradientVariance() / m.gradientBound()).as("sum_j Var[dP/dZ_j] / (Var[g'] e^(s^2))")
                .isBetween(0.25, 2.0);
    }

    @ParameterizedTest(name = "d = {0}, omega = {1}")
    @CsvSource({"64, 30", "256, 30", "256, 1"})
    void withoutGammaBothVariancesLeaveTheBandByOrdersOfMagnitude(int d, double omega) {
        Measured m = measure(d, omega, true);
        double product = m.productVariance() / m.bound();
        assertThat(product < 1e-2 || product > 1e2).as("Var[P] / (e^(s^2) - 1) = %s", product).isTrue();
        double gradient = m.gradientVariance() / m.gradientBound();
        assertThat(gradient < 1e-2 || gradient > 1e2)
                .as("sum_j Var[dP/dZ_j] / (Var[g'] e^(s^2)) = %s", gradient).isTrue();
    }

    /**
     * Initialises one LRNN layer and runs ROWS uniform inputs through it. gamma = 1 is obtained
     * from the same layer by scaling v (and e) by sqrt(d), since g is linear in them. The gradient
     * dP_i/dZ_ij is the layer's backward pass for L = sum_i P_i; g' is computed here from a, c, v.
     */
    static Measured measure(int d, double omega, boolean gammaOne) {
        LrnnLayerSpec spec = new LrnnLayerSpec(NEURONS, d, HIDDEN, UnivariateActivation.SIN, omega, false, false);
        LrnnLayer layer = new LrnnLayer("layers.0.", 0, INPUTS, spec);
        Parameters params = new Parameters(layer.layout());
        layer.initialize(params, new SplittableRandom(1000 + d));
        double[] v = params.get("layers.0.g.v").data();
        if (gammaOne) {
            for (int i = 0; i < v.length; i++) {
                v[i] *= Math.sqrt(d);
            }
        }
        SplittableRandom random = new SplittableRandom(2000 + d);
        DMatrixRMaj input = new DMatrixRMaj(ROWS, INPUTS);
        for (int i = 0; i < input.data.length; i++) {
            input.data[i] = 2 * random.nextDouble() - 1;
        }
        LayerBuffers buffers = new LayerBuffers();
        layer.forward(params, input, buffers);
        double gamma = spec.gamma();
        double[] g = buffers.factorsT.data.clone();
        for (int i = 0; i < g.length; i++) {
            g[i] = (g[i] - 1) / gamma / (gammaOne ? Math.sqrt(d) : 1);
        }
        DMatrixRMaj ones = new DMatrixRMaj(ROWS, NEURONS);
        java.util.Arrays.fill(ones.data, 1);
        layer.backward(params, input, buffers, ones, Parameters.zeros(params.tensors()), false);
        double[] dz = buffers.gradPreT.data;
        double[] z = buffers.preT.data;
        double[] a = params.get("layers.0.g.a").data();
        double[] c = params.get("layers.0.g.c").data();
        double[] derivative = new double[ROWS * NEURONS * d];
        double gradient = 0;
        for (int j = 0; j < d; j++) {
            double[] column = new double[ROWS * NEURONS];
            for (int i = 0; i < NEURONS; i++) {
                int fn = i * d + j;
                System.arraycopy(dz, fn * ROWS, column, i * ROWS, ROWS);
                for (int b = 0; b < ROWS; b++) {
                    double slope = 0;
                    for (int q = fn * HIDDEN; q < fn * HIDDEN + HIDDEN; q++) {
                        slope += v[q] * omega * a[q] * Math.cos(omega * (a[q] * z[fn * ROWS + b] + c[q]));
                    }
                    derivative[fn * ROWS + b] = slope / (gammaOne ? Math.sqrt(d) : 1);
                }
            }
            gradient += variance(column, ROWS * NEURONS);
        }
        return new Measured(variance(buffers.out.data, ROWS * NEURONS), variance(g, ROWS * NEURONS * d),
                gradient, variance(derivative, ROWS * NEURONS * d));
    }

    private static double variance(double[] values, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += values[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (values[i] - mean) * (values[i] - mean);
        }
        return var / n;
    }
}

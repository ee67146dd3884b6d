package io.lrnn.bench.claims;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The variance-control claim (LRNN.md section 2; docs/results.md, section variance): output and
 * gradient variance of one freshly initialised LRNN layer against the projection dimension d,
 * with the engine's gamma = d^(-1/2) and with gamma = 1, next to the bound e^(s^2) - 1.
 *
 * <p>The layer is the engine's own (Network.initialize, r = 64 neurons, h = 8, sin, no LayerNorm,
 * 2 inputs uniform in [-1, 1]) with its head set to the identity, so that the network's output is
 * the neurons' products P. The spec has no gamma setting (gamma() is always d^(-1/2)), so the
 * experiment evaluates every univariate function g_ij and its derivative g'_ij itself from the
 * initialised parameters (W, b, a, c, v, e) and forms P = prod_j (1 + gamma g_ij) and
 * dP/dZ_ij = gamma g'_ij prod_(k != j) (1 + gamma g_ik) for both gammas. It checks the recomputation
 * against the engine: the forward output for gamma = d^(-1/2); for gamma = 1 the forward output of
 * the same layer with v and e scaled by sqrt(d) (g is linear in them, so 1 + d^(-1/2) sqrt(d) g =
 * 1 + g); and dP/dZ against the engine's backward pass (with L = sum_i P_i and one row at a time,
 * the gradient of the projection bias b_ij is dP_i/dZ_ij).
 *
 * <p>Writes the tables into the results file and the plot {@code results-variance.svg} beside it.
 *
 * <pre>bench/claims.sh variance      # or: --results FILE --seeds K --rows N</pre>
 */
public final class Variance {

    static final int[] PROJECTIONS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    static final double[] OMEGAS = {30, 1};
    static final int NEURONS = 64;
    static final int INPUTS = 2;
    static final int HIDDEN = 8;
    /** Rows whose gradient is also taken from the engine's backward pass, one at a time. */
    static final int BACKWARD_ROWS = 16;

    /**
     * One layer's measurements. Variances are pooled over rows and neurons (and factors, for s2
     * and gradVar, which is Var[g']); the grad* fields are sum_j Var[dP/dZ_ij].
     */
    record Point(int d, double omega, long seed, double s2, double derivativeVar, double meanP,
                 double varP, double varPOne, double grad, double gradOne, double forwardError,
                 double forwardErrorOne, double backwardError) {

        double bound() {
            return Math.expm1(s2);
        }

        double gradBound() {
            return derivativeVar * Math.exp(s2);
        }
    }

    private Variance() {
    }

    public static void main(String[] args) throws Exception {
        int seeds = Integer.parseInt(orDefault(ClaimsReport.option(args, "--seeds"), "3"));
        int rows = Integer.parseInt(orDefault(ClaimsReport.option(args, "--rows"), "2000"));
        Path results = ClaimsReport.resultsPath(args);
        long started = System.nanoTime();
        List<Point> points = new ArrayList<>();
        for (double omega : OMEGAS) {
            for (int d : PROJECTIONS) {
                for (int s = 1; s <= seeds; s++) {
                    Point p = measure(d, omega, s, rows);
                    points.add(p);
                    System.out.printf("omega %.0f d %3d seed %d: s2 %.3f Var[P] %.3e (bound %.3e) gamma=1 %.3e;"
                                    + " grad %.3e (bound %.3e) gamma=1 %.3e; checks %.1e %.1e %.1e%n", omega, d, s,
                            p.s2(), p.varP(), p.bound(), p.varPOne(), p.grad(), p.gradBound(), p.gradOne(),
                            p.forwardError(), p.forwardErrorOne(), p.backwardError());
                }
            }
        }
        double minutes = (System.nanoTime() - started) / 60e9;
        Path svg = results.resolveSibling("results-variance.svg");
        Files.writeString(svg, VarianceSvg.plot(points, OMEGAS, PROJECTIONS), StandardCharsets.UTF_8);
        String body = VarianceTables.report(points, OMEGAS, PROJECTIONS, seeds, rows, minutes, args);
        System.out.println(body);
        ClaimsReport.replaceSection(results, "variance", body);
    }

    /** Initialises the layer for ({@code d}, {@code omega}, {@code seed}) and measures it on {@code rows} inputs. */
    static Point measure(int d, double omega, long seed, int rows) {
        LrnnLayerSpec layer = new LrnnLayerSpec(NEURONS, d, HIDDEN, UnivariateActivation.SIN, omega, false, false);
        NetworkSpec spec = new NetworkSpec(INPUTS, List.of(layer), NEURONS, Task.REGRESSION);
        Network network = Network.initialize(spec, 1000L * seed + d);
        Parameters params = network.parameters();
        double[] head = params.get("head.weight").data();
        java.util.Arrays.fill(head, 0);
        for (int i = 0; i < NEURONS; i++) {
            head[i * NEURONS + i] = 1;
        }
        Network gammaOne = scaledFunctions(spec, params, Math.sqrt(d));

        DMatrixRMaj input = new DMatrixRMaj(rows, INPUTS);
        SplittableRandom random = new SplittableRandom(2000L * seed + d);
        for (int i = 0; i < input.data.length; i++) {
            input.data[i] = 2 * random.nextDouble() - 1;
        }
        DMatrixRMaj engineP = network.predict(input);
        DMatrixRMaj engineOne = gammaOne.predict(input);

        Factors factors = new Factors(params, d, omega, layer.gamma());
        int n = rows * NEURONS;
        double[] p = new double[n];
        double[] pOne = new double[n];
        double[][] gradSums = new double[4][d];
        double[] backward = new double[BACKWARD_ROWS * NEURONS * d];
        double gSum = 0;
        double gSquares = 0;
        double dSum = 0;
        double dSquares = 0;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < NEURONS; i++) {
                factors.evaluate(input.get(b, 0), input.get(b, 1), i);
                for (int j = 0; j < d; j++) {
                    gSum += factors.g[j];
                    gSquares += factors.g[j] * factors.g[j];
                    dSum += factors.derivative[j];
                    dSquares += factors.derivative[j] * factors.derivative[j];
                    gradSums[0][j] += factors.grad[j];
                    gradSums[1][j] += factors.grad[j] * factors.grad[j];
                    gradSums[2][j] += factors.gradOne[j];
                    gradSums[3][j] += factors.gradOne[j] * factors.gradOne[j];
                }
                if (b < BACKWARD_ROWS) {
                    System.arraycopy(factors.grad, 0, backward, (b * NEURONS + i) * d, d);
                }
                p[b * NEURONS + i] = factors.product;
                pOne[b * NEURONS + i] = factors.productOne;
            }
        }
        double grad = 0;
        double gradOne = 0;
        for (int j = 0; j < d; j++) {
            grad += variance(gradSums[0][j], gradSums[1][j], n);
            gradOne += variance(gradSums[2][j], gradSums[3][j], n);
        }
        return new Point(d, omega, seed, variance(gSum, gSquares, (long) n * d), variance(dSum, dSquares, (long) n * d),
                mean(p), variance(p), variance(pOne), grad, gradOne, relativeError(engineP.data, p),
                relativeError(engineOne.data, pOne), backwardError(network, input, backward, d));
    }

    /** The same network with every univariate function's v and e multiplied by {@code factor}. */
    private static Network scaledFunctions(NetworkSpec spec, Parameters params, double factor) {
        Parameters scaled = params.copy();
        for (String name : List.of("layers.0.g.v", "layers.0.g.e")) {
            double[] values = scaled.get(name).data();
            for (int i = 0; i < values.length; i++) {
                values[i] *= factor;
            }
        }
        return new Network(spec, scaled);
    }

    /**
     * Largest difference between the engine's dP_i/dZ_ij (the projection bias gradient of
     * L = sum_i P_i for one row) and the recomputed {@code expected}, relative to max(1, |expected|).
     */
    private static double backwardError(Network network, DMatrixRMaj input, double[] expected, int d) {
        Workspace workspace = network.newWorkspace();
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        DMatrixRMaj row = new DMatrixRMaj(1, INPUTS);
        DMatrixRMaj ones = new DMatrixRMaj(1, NEURONS);
        java.util.Arrays.fill(ones.data, 1);
        double worst = 0;
        for (int b = 0; b < BACKWARD_ROWS && b < input.numRows; b++) {
            row.set(0, 0, input.get(b, 0));
            row.set(0, 1, input.get(b, 1));
            network.forward(row, workspace);
            grads.clear();
            network.backward(workspace, ones, grads, false);
            double[] bias = grads.get("layers.0.proj.bias").data();
            for (int k = 0; k < NEURONS * d; k++) {
                double want = expected[b * NEURONS * d + k];
                worst = Math.max(worst, Math.abs(bias[k] - want) / Math.max(1, Math.abs(want)));
            }
        }
        return worst;
    }

    /**
     * The univariate functions of one neuron evaluated from the layer's parameters, for one input
     * row: g_ij, g'_ij, and dP_i/dZ_ij for gamma = d^(-1/2) and gamma = 1 (prefix and suffix
     * products, no division). Fields are overwritten by each {@link #evaluate}.
     */
    private static final class Factors {
        private final double[] w;
        private final double[] bias;
        private final double[] a;
        private final double[] c;
        private final double[] v;
        private final double[] e;
        private final int d;
        private final double omega;
        private final double gamma;
        final double[] g;
        final double[] derivative;
        final double[] grad;
        final double[] gradOne;
        private final double[] prefix;
        private final double[] prefixOne;
        double product;
        double productOne;

        Factors(Parameters params, int d, double omega, double gamma) {
            w = params.get("layers.0.proj.weight").data();
            bias = params.get("layers.0.proj.bias").data();
            a = params.get("layers.0.g.a").data();
            c = params.get("layers.0.g.c").data();
            v = params.get("layers.0.g.v").data();
            e = params.get("layers.0.g.e").data();
            this.d = d;
            this.omega = omega;
            this.gamma = gamma;
            g = new double[d];
            derivative = new double[d];
            grad = new double[d];
            gradOne = new double[d];
            prefix = new double[d + 1];
            prefixOne = new double[d + 1];
        }

        void evaluate(double x0, double x1, int neuron) {
            for (int j = 0; j < d; j++) {
                int k = neuron * d + j;
                double z = w[k * INPUTS] * x0 + w[k * INPUTS + 1] * x1 + bias[k];
                double value = e[k];
                double slope = 0;
                for (int q = k * HIDDEN; q < k * HIDDEN + HIDDEN; q++) {
                    double t = omega * (a[q] * z + c[q]);
                    value += v[q] * Math.sin(t);
                    slope += v[q] * Math.cos(t) * omega * a[q];
                }
                g[j] = value;
                derivative[j] = slope;
            }
            prefix[0] = 1;
            prefixOne[0] = 1;
            for (int j = 0; j < d; j++) {
                prefix[j + 1] = prefix[j] * (1 + gamma * g[j]);
                prefixOne[j + 1] = prefixOne[j] * (1 + g[j]);
            }
            product = prefix[d];
            productOne = prefixOne[d];
            double suffix = 1;
            double suffixOne = 1;
            for (int j = d - 1; j >= 0; j--) {
                grad[j] = gamma * derivative[j] * prefix[j] * suffix;
                gradOne[j] = derivative[j] * prefixOne[j] * suffixOne;
                suffix *= 1 + gamma * g[j];
                suffixOne *= 1 + g[j];
            }
        }
    }

    /** Largest |actual - expected| / max(1, |expected|). */
    private static double relativeError(double[] actual, double[] expected) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
        }
        return worst;
    }

    private static double variance(double sum, double squares, long n) {
        double mean = sum / n;
        return Math.max(0, squares / n - mean * mean);
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Two-pass population variance. */
    static double variance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / values.length;
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}

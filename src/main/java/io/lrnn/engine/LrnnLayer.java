package io.lrnn.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * An LRNN layer (LRNN.md sections 1 and 4). The B x r x d x h hidden values of the univariate
 * functions are never stored: forward sums them per factor and backward recomputes them.
 */
final class LrnnLayer implements Layer {

    static final double NORM_EPS = 1e-5;

    private static final int WEIGHT = 0;
    private static final int BIAS = 1;
    private static final int A = 2;
    private static final int C = 3;
    private static final int V = 4;
    private static final int E = 5;
    private static final int ALPHA = 6;
    private static final int BETA = 7;

    private final String prefix;
    private final int first;
    private final int n;
    private final int r;
    private final int d;
    private final int h;
    private final LrnnLayerSpec spec;
    private final double gamma;
    private final boolean spder;

    LrnnLayer(String prefix, int first, int inputSize, LrnnLayerSpec spec) {
        this.prefix = prefix;
        this.first = first;
        this.n = inputSize;
        this.r = spec.width();
        this.d = spec.projection();
        this.h = spec.hidden();
        this.spec = spec;
        this.gamma = spec.gamma();
        this.spder = spec.activation() == UnivariateActivation.SPDER;
    }

    @Override
    public int inputSize() {
        return n;
    }

    @Override
    public int outputSize() {
        return r;
    }

    @Override
    public List<Tensor> layout() {
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(Tensor.zeros(prefix + "proj.weight", r * d, n));
        tensors.add(Tensor.zeros(prefix + "proj.bias", r * d));
        int[] functionShape = spec.sharedFunctions() ? new int[] {d, h} : new int[] {r, d, h};
        for (String name : List.of("g.a", "g.c", "g.v")) {
            tensors.add(Tensor.zeros(prefix + name, functionShape));
        }
        tensors.add(spec.sharedFunctions() ? Tensor.zeros(prefix + "g.e", d) : Tensor.zeros(prefix + "g.e", r, d));
        if (spec.layerNorm()) {
            tensors.add(Tensor.zeros(prefix + "norm.weight", r));
            tensors.add(Tensor.zeros(prefix + "norm.bias", r));
        }
        return tensors;
    }

    @Override
    public void initialize(Parameters params, SplittableRandom random) {
        Affine.uniform(tensor(params, WEIGHT), Math.sqrt(6.0 / (n + d)), random);
        Affine.uniform(tensor(params, A), 1, random);
        Affine.uniform(tensor(params, C), 1, random);
        Affine.uniform(tensor(params, V), Math.sqrt(6.0 / h), random);
        if (spec.layerNorm()) {
            java.util.Arrays.fill(tensor(params, ALPHA), 1);
        }
    }

    private double[] tensor(Parameters params, int which) {
        return params.get(first + which).data();
    }

    /** Index of factor (i, j)'s function in the a/c/v/e tensors, in units of one function. */
    private int function(int i, int j) {
        return spec.sharedFunctions() ? j : i * d + j;
    }

    @Override
    public void forward(Parameters params, DMatrixRMaj input, LayerBuffers buffers) {
        int rows = input.numRows;
        int rd = r * d;
        Affine.forward(input, tensor(params, WEIGHT), tensor(params, BIAS), buffers.pre);
        double[] a = tensor(params, A);
        double[] c = tensor(params, C);
        double[] v = tensor(params, V);
        double[] e = tensor(params, E);
        double omega = spec.omega();
        UnivariateActivation sigma = spec.activation();
        double[] z = buffers.pre.data;
        buffers.factors.reshape(rows, rd, false);
        double[] f = buffers.factors.data;
        DMatrixRMaj product = spec.layerNorm() ? buffers.normalized : buffers.out;
        product.reshape(rows, r, false);
        double[] p = product.data;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < r; i++) {
                double prod = 1;
                for (int j = 0; j < d; j++) {
                    int at = b * rd + i * d + j;
                    int fn = function(i, j);
                    double zij = z[at];
                    double g = e[fn];
                    for (int q = 0, k = fn * h; q < h; q++, k++) {
                        g += v[k] * sigma.value(omega * (a[k] * zij + c[k]));
                    }
                    double fij = 1 + gamma * g;
                    f[at] = fij;
                    prod *= fij;
                }
                p[b * r + i] = prod;
            }
        }
        if (spec.layerNorm()) {
            normalize(params, rows, buffers);
        }
    }

    /** Turns the products (held in {@code normalized}) into N in place and writes Y = alpha N + beta. */
    private void normalize(Parameters params, int rows, LayerBuffers buffers) {
        double[] alpha = tensor(params, ALPHA);
        double[] beta = tensor(params, BETA);
        double[] nrm = buffers.normalized.data;
        double[] invStd = buffers.invStd(rows);
        buffers.out.reshape(rows, r, false);
        double[] y = buffers.out.data;
        for (int b = 0; b < rows; b++) {
            int base = b * r;
            double mean = 0;
            for (int i = 0; i < r; i++) {
                mean += nrm[base + i];
            }
            mean /= r;
            double var = 0;
            for (int i = 0; i < r; i++) {
                double dev = nrm[base + i] - mean;
                var += dev * dev;
            }
            var /= r;
            double inv = 1 / Math.sqrt(var + NORM_EPS);
            invStd[b] = inv;
            for (int i = 0; i < r; i++) {
                double ni = (nrm[base + i] - mean) * inv;
                nrm[base + i] = ni;
                y[base + i] = alpha[i] * ni + beta[i];
            }
        }
    }

    @Override
    public void backward(Parameters params, DMatrixRMaj input, LayerBuffers buffers, DMatrixRMaj gradOut,
                         Parameters grads, boolean needInputGradient) {
        int rows = input.numRows;
        DMatrixRMaj gradProduct = spec.layerNorm() ? normalizeBackward(params, rows, buffers, gradOut, grads) : gradOut;
        factorsBackward(params, rows, buffers, gradProduct, grads);
        Affine.backward(input, tensor(params, WEIGHT), buffers.gradPre, tensor(grads, WEIGHT), tensor(grads, BIAS),
                needInputGradient ? buffers.gradIn : null);
    }

    /** LayerNorm backward: adds d alpha, d beta and returns dL/dP. */
    private DMatrixRMaj normalizeBackward(Parameters params, int rows, LayerBuffers buffers, DMatrixRMaj gradOut,
                                          Parameters grads) {
        double[] alpha = tensor(params, ALPHA);
        double[] gAlpha = tensor(grads, ALPHA);
        double[] gBeta = tensor(grads, BETA);
        double[] nrm = buffers.normalized.data;
        double[] invStd = buffers.invStd;
        double[] g = gradOut.data;
        buffers.gradProduct.reshape(rows, r, false);
        double[] dp = buffers.gradProduct.data;
        for (int b = 0; b < rows; b++) {
            int base = b * r;
            double meanDn = 0;
            double meanDnN = 0;
            for (int i = 0; i < r; i++) {
                double gi = g[base + i];
                double ni = nrm[base + i];
                gAlpha[i] += gi * ni;
                gBeta[i] += gi;
                double dn = gi * alpha[i];
                dp[base + i] = dn;
                meanDn += dn;
                meanDnN += dn * ni;
            }
            meanDn /= r;
            meanDnN /= r;
            for (int i = 0; i < r; i++) {
                dp[base + i] = (dp[base + i] - meanDn - nrm[base + i] * meanDnN) * invStd[b];
            }
        }
        return buffers.gradProduct;
    }

    /** Product and univariate-function backward: adds da, dc, dv, de and writes dZ to gradPre. */
    private void factorsBackward(Parameters params, int rows, LayerBuffers buffers, DMatrixRMaj gradProduct,
                                 Parameters grads) {
        int rd = r * d;
        double[] a = tensor(params, A);
        double[] c = tensor(params, C);
        double[] v = tensor(params, V);
        double[] ga = tensor(grads, A);
        double[] gc = tensor(grads, C);
        double[] gv = tensor(grads, V);
        double[] ge = tensor(grads, E);
        double omega = spec.omega();
        double[] z = buffers.pre.data;
        double[] f = buffers.factors.data;
        double[] dp = gradProduct.data;
        buffers.gradPre.reshape(rows, rd, false);
        double[] dz = buffers.gradPre.data;
        double[] suffix = buffers.suffix(d + 1);
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < r; i++) {
                int base = b * rd + i * d;
                suffix[d] = 1;
                for (int j = d - 1; j >= 0; j--) {
                    suffix[j] = suffix[j + 1] * f[base + j];
                }
                double prefix = 1;
                double dpi = dp[b * r + i];
                for (int j = 0; j < d; j++) {
                    double dg = gamma * dpi * prefix * suffix[j + 1];
                    prefix *= f[base + j];
                    int fn = function(i, j);
                    double zij = z[base + j];
                    double dzij = 0;
                    for (int q = 0, k = fn * h; q < h; q++, k++) {
                        double t = omega * (a[k] * zij + c[k]);
                        double sin = Math.sin(t);
                        double cos = Math.cos(t);
                        double s;
                        double ds;
                        if (spder) {
                            double root = Math.sqrt(Math.abs(t));
                            s = sin * root;
                            ds = t == 0 ? 0 : cos * root + sin * Math.signum(t) / (2 * root);
                        } else {
                            s = sin;
                            ds = cos;
                        }
                        gv[k] += dg * s;
                        double common = dg * v[k] * ds * omega;
                        ga[k] += common * zij;
                        gc[k] += common;
                        dzij += common * a[k];
                    }
                    ge[fn] += dg;
                    dz[base + j] = dzij;
                }
            }
        }
    }
}

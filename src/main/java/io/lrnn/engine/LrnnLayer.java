package io.lrnn.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * An LRNN layer (LRNN.md sections 1 and 4). The univariate functions are evaluated one function
 * at a time over all rows of the block, on transposed (feature-major) copies of Z, so that the
 * inner loops are branch-free SIMD loops; the B x r x d x h hidden values are never stored:
 * forward sums them per factor and backward recomputes them.
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

    // Scratch slots in LayerBuffers, each one row of the block long (SUFFIX: d rows).
    private static final int ARG = 0;
    private static final int SIN = 1;
    private static final int DERIV = 2;
    private static final int ACC = 3;
    private static final int PREFIX = 4;
    private static final int SUFFIX = 5;

    private final String prefix;
    private final int first;
    private final int n;
    private final int r;
    private final int d;
    private final int h;
    private final LrnnLayerSpec spec;
    private final double gamma;
    private final double omega;
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
        this.omega = spec.omega();
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
    public List<TensorShape> shapes() {
        List<TensorShape> tensors = new ArrayList<>();
        tensors.add(new TensorShape(prefix + "proj.weight", new int[] {r * d, n}));
        tensors.add(new TensorShape(prefix + "proj.bias", new int[] {r * d}));
        int[] functionShape = spec.sharedFunctions() ? new int[] {d, h} : new int[] {r, d, h};
        for (String name : List.of("g.a", "g.c", "g.v")) {
            tensors.add(new TensorShape(prefix + name, functionShape));
        }
        tensors.add(new TensorShape(prefix + "g.e", spec.sharedFunctions() ? new int[] {d} : new int[] {r, d}));
        if (spec.layerNorm()) {
            tensors.add(new TensorShape(prefix + "norm.weight", new int[] {r}));
            tensors.add(new TensorShape(prefix + "norm.bias", new int[] {r}));
        }
        return tensors;
    }

    @Override
    public void initialize(Parameters params, SplittableRandom random) {
        initialize(params, random, LrnnInit.UNIFORM);
    }

    /** LRNN.md section 3, with v's bound as {@code init} says (the random draws are the same). */
    void initialize(Parameters params, SplittableRandom random, LrnnInit init) {
        double[] w = tensor(params, WEIGHT);
        Affine.uniform(w, Math.sqrt(6.0 / (n + d)), random);
        Affine.uniform(tensor(params, A), 1, random);
        Affine.uniform(tensor(params, C), 1, random);
        double bound = Math.sqrt(6.0 / h);
        if (init == LrnnInit.UNIT_VARIANCE) {
            double zVar = 0;
            for (double value : w) {
                zVar += value * value;
            }
            zVar = zVar / w.length * n; // Var[z] for unit-variance inputs
            bound = Math.sqrt(3.0 / (h * meanSigmaSquare(Math.sqrt(zVar))));
        }
        Affine.uniform(tensor(params, V), bound, random);
        if (spec.layerNorm()) {
            Arrays.fill(tensor(params, ALPHA), 1);
        }
    }

    /**
     * E[sigma(omega (a z + c))^2] for a, c ~ U(-1, 1) and z ~ N(0, zStd^2), by a fixed midpoint rule
     * (64 x 64 points for a and c, 129 for z over +-6 zStd): deterministic, so initialisation stays
     * reproducible, and within about 1 % of the integral at the omegas in use.
     */
    double meanSigmaSquare(double zStd) {
        int grid = 64;
        int zPoints = 129;
        double sum = 0;
        double weights = 0;
        for (int iz = 0; iz < zPoints; iz++) {
            double u = -6 + 12.0 * iz / (zPoints - 1);
            double weight = Math.exp(-0.5 * u * u);
            double z = u * zStd;
            double inner = 0;
            for (int ia = 0; ia < grid; ia++) {
                double a = -1 + (2 * ia + 1.0) / grid;
                for (int ic = 0; ic < grid; ic++) {
                    double c = -1 + (2 * ic + 1.0) / grid;
                    double t = omega * (a * z + c);
                    double s = Math.sin(t);
                    inner += spder ? s * s * Math.abs(t) : s * s;
                }
            }
            sum += weight * inner / (grid * grid);
            weights += weight;
        }
        return sum / weights;
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
        Affine.forwardTransposed(input, tensor(params, WEIGHT), tensor(params, BIAS), buffers.inputT, buffers.preT);
        double[] a = tensor(params, A);
        double[] c = tensor(params, C);
        double[] v = tensor(params, V);
        double[] e = tensor(params, E);
        double[] z = buffers.preT.data;
        buffers.factorsT.reshape(r * d, rows, false);
        double[] f = buffers.factorsT.data;
        if (rows == 1) {
            factorsOfOneRow(a, c, v, e, z, f, buffers);
        } else {
            factorsByFunction(a, c, v, e, z, f, rows, buffers);
        }
        buffers.outT.reshape(r, rows, false);
        double[] p = buffers.outT.data;
        for (int i = 0; i < r; i++) {
            System.arraycopy(f, i * d * rows, p, i * rows, rows);
            for (int j = 1; j < d; j++) {
                int at = (i * d + j) * rows;
                for (int b = 0; b < rows; b++) {
                    p[i * rows + b] *= f[at + b];
                }
            }
        }
        DMatrixRMaj product = spec.layerNorm() ? buffers.normalized : buffers.out;
        CommonOps_DDRM.transpose(buffers.outT, product);
        if (spec.layerNorm()) {
            normalize(params, rows, buffers);
        }
    }

    /**
     * The factors f = 1 + gamma g(z) of a block, one function at a time over all its rows: the
     * loops over rows are branch-free and vectorise.
     */
    private void factorsByFunction(double[] a, double[] c, double[] v, double[] e, double[] z, double[] f, int rows,
                                   LayerBuffers buffers) {
        double[] arg = buffers.scratch(ARG, rows);
        double[] s = buffers.scratch(SIN, rows);
        double[] acc = buffers.scratch(ACC, rows);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < d; j++) {
                int at = (i * d + j) * rows;
                int fn = function(i, j);
                boolean fast = fastArguments(a, c, fn, z, at, rows);
                Arrays.fill(acc, 0, rows, e[fn]);
                for (int k = fn * h; k < fn * h + h; k++) {
                    sigma(arguments(z, at, rows, a[k], c[k], arg), s, null, rows, fast);
                    double vk = v[k];
                    for (int b = 0; b < rows; b++) {
                        acc[b] += vk * s[b];
                    }
                }
                for (int b = 0; b < rows; b++) {
                    f[at + b] = 1 + gamma * acc[b];
                }
            }
        }
    }

    /**
     * The same factors for a single row (the serving path), where loops over rows would have one
     * iteration: the r x d x h arguments are laid out side by side, so that the sine runs as one
     * long vectorised loop. Within FastTrig's range the values are bit-identical to
     * {@link #factorsByFunction}'s (same operations, same order).
     */
    private void factorsOfOneRow(double[] a, double[] c, double[] v, double[] e, double[] z, double[] f,
                                 LayerBuffers buffers) {
        int units = r * d * h;
        double[] t = buffers.scratch(ARG, units);
        double[] s = buffers.scratch(SIN, units);
        boolean fast = true;
        for (int ij = 0; ij < r * d; ij++) {
            int fn = function(ij / d, ij % d) * h;
            double zij = z[ij];
            for (int k = 0; k < h; k++) {
                double tk = omega * (a[fn + k] * zij + c[fn + k]);
                t[ij * h + k] = tk;
                fast &= Math.abs(tk) <= FastTrig.MAX_FAST;
            }
        }
        sigma(t, s, null, units, fast);
        for (int ij = 0; ij < r * d; ij++) {
            int fn = function(ij / d, ij % d);
            double acc = e[fn];
            for (int k = 0; k < h; k++) {
                acc += v[fn * h + k] * s[ij * h + k];
            }
            f[ij] = 1 + gamma * acc;
        }
    }

    /** arg[b] = omega (a z_b + c) for the {@code rows} values of z from {@code at}; returns arg. */
    private double[] arguments(double[] z, int at, int rows, double a, double c, double[] arg) {
        for (int b = 0; b < rows; b++) {
            arg[b] = omega * (a * z[at + b] + c);
        }
        return arg;
    }

    /** Whether every argument of function {@code fn} on this block is within FastTrig's range. */
    private boolean fastArguments(double[] a, double[] c, int fn, double[] z, int at, int rows) {
        double zMax = 0;
        for (int b = 0; b < rows; b++) {
            zMax = Math.max(zMax, Math.abs(z[at + b]));
        }
        double bound = 0;
        for (int k = fn * h; k < fn * h + h; k++) {
            bound = Math.max(bound, Math.abs(omega) * (Math.abs(a[k]) * zMax + Math.abs(c[k])));
        }
        return bound <= FastTrig.MAX_FAST;
    }

    /**
     * s = sigma(t) and, if {@code ds} is not null, ds = sigma'(t). SPDER's sin(t) sign(t) / (2 sqrt|t|)
     * term is written as sin(t) t / (2 sqrt|t| |t| + MIN_NORMAL), which is its limit 0 at t = 0
     * without a branch.
     */
    private void sigma(double[] t, double[] s, double[] ds, int rows, boolean fast) {
        if (fast) {
            FastTrig.sin(t, s, rows);
            if (ds != null) {
                FastTrig.cos(t, ds, rows);
            }
        } else {
            for (int b = 0; b < rows; b++) {
                s[b] = Math.sin(t[b]);
                if (ds != null) {
                    ds[b] = Math.cos(t[b]);
                }
            }
        }
        if (!spder) {
            return;
        }
        for (int b = 0; b < rows; b++) {
            double abs = Math.abs(t[b]);
            double root = Math.sqrt(abs);
            if (ds != null) {
                ds[b] = ds[b] * root + s[b] * t[b] / (2 * root * abs + Double.MIN_NORMAL);
            }
            s[b] *= root;
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
        CommonOps_DDRM.transpose(gradProduct, buffers.outT);
        factorsBackward(params, rows, buffers, grads);
        Affine.backwardTransposed(input, tensor(params, WEIGHT), buffers.gradPreT, tensor(grads, WEIGHT),
                tensor(grads, BIAS), needInputGradient ? buffers.gradIn : null);
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

    /**
     * Product and univariate-function backward, from dL/dP (transposed, in outT): adds da, dc,
     * dv, de and writes dZ (transposed) to gradPreT. Products of the other factors come from
     * prefix and suffix products, never from dividing by f (which may be 0).
     */
    private void factorsBackward(Parameters params, int rows, LayerBuffers buffers, Parameters grads) {
        double[] a = tensor(params, A);
        double[] c = tensor(params, C);
        double[] v = tensor(params, V);
        double[] ga = tensor(grads, A);
        double[] gc = tensor(grads, C);
        double[] gv = tensor(grads, V);
        double[] ge = tensor(grads, E);
        double[] z = buffers.preT.data;
        double[] f = buffers.factorsT.data;
        double[] dp = buffers.outT.data;
        buffers.gradPreT.reshape(r * d, rows, false);
        double[] dz = buffers.gradPreT.data;
        double[] arg = buffers.scratch(ARG, rows);
        double[] s = buffers.scratch(SIN, rows);
        double[] ds = buffers.scratch(DERIV, rows);
        double[] dg = buffers.scratch(ACC, rows);
        double[] prefixProduct = buffers.scratch(PREFIX, rows);
        double[] suffix = buffers.scratch(SUFFIX, d * rows);
        for (int i = 0; i < r; i++) {
            int base = i * d * rows;
            Arrays.fill(suffix, (d - 1) * rows, d * rows, 1);
            for (int j = d - 2; j >= 0; j--) {
                for (int b = 0; b < rows; b++) {
                    suffix[j * rows + b] = suffix[(j + 1) * rows + b] * f[base + (j + 1) * rows + b];
                }
            }
            Arrays.fill(prefixProduct, 0, rows, 1);
            for (int j = 0; j < d; j++) {
                int at = base + j * rows;
                int fn = function(i, j);
                for (int b = 0; b < rows; b++) {
                    dg[b] = gamma * dp[i * rows + b] * prefixProduct[b] * suffix[j * rows + b];
                    prefixProduct[b] *= f[at + b];
                }
                ge[fn] += Reductions.sum(dg, rows);
                boolean fast = fastArguments(a, c, fn, z, at, rows);
                Arrays.fill(dz, at, at + rows, 0);
                for (int k = fn * h; k < fn * h + h; k++) {
                    sigma(arguments(z, at, rows, a[k], c[k], arg), s, ds, rows, fast);
                    gv[k] += Reductions.dot(dg, s, rows);
                    // ds becomes the common factor dL/dt * omega = dg v sigma'(t) omega.
                    double scale = v[k] * omega;
                    for (int b = 0; b < rows; b++) {
                        ds[b] *= dg[b] * scale;
                    }
                    gc[k] += Reductions.sum(ds, rows);
                    ga[k] += Reductions.dot(ds, z, at, rows);
                    double ak = a[k];
                    for (int b = 0; b < rows; b++) {
                        dz[at + b] += ds[b] * ak;
                    }
                }
            }
        }
    }
}

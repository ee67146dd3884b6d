package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link LrnnInit#UNIT_VARIANCE}: Var[g] ~= 1 at initialisation for standardised inputs whatever the
 * activation (UNIFORM gives SPDER several times that), the same random draws as UNIFORM (only v's
 * bound differs, and for sin at omega 30 barely), and deterministic by seed.
 */
class LrnnInitTest {

    private static final int ROWS = 2000;

    @Test
    void unitVarianceGivesSpderFunctionsUnitVarianceWhereUniformGivesSeveralTimesThat() {
        double uniform = functionVariance(UnivariateActivation.SPDER, 30, LrnnInit.UNIFORM);
        double unit = functionVariance(UnivariateActivation.SPDER, 30, LrnnInit.UNIT_VARIANCE);
        assertThat(uniform).as("Var[g], SPDER, UNIFORM").isGreaterThan(3);
        assertThat(unit).as("Var[g], SPDER, UNIT_VARIANCE").isBetween(0.8, 1.25);
        // At omega 1 SPDER's sigma(t)^2 is small (|t| < 1 mostly): v is scaled up, not down.
        assertThat(functionVariance(UnivariateActivation.SPDER, 1, LrnnInit.UNIFORM)).isLessThan(0.75);
        assertThat(functionVariance(UnivariateActivation.SPDER, 1, LrnnInit.UNIT_VARIANCE)).isBetween(0.8, 1.25);
    }

    @Test
    void forSinAtOmega30UnitVarianceKeepsUniformsBoundAndEveryOtherTensor() {
        NetworkSpec spec = spec(UnivariateActivation.SIN, 30);
        Parameters uniform = Network.initialize(spec, 7, LrnnInit.UNIFORM).parameters();
        Parameters unit = Network.initialize(spec, 7, LrnnInit.UNIT_VARIANCE).parameters();
        for (int t = 0; t < uniform.size(); t++) {
            double[] u = uniform.get(t).data();
            double[] w = unit.get(t).data();
            if (uniform.get(t).name().endsWith("g.v")) {
                double ratio = w[0] / u[0];
                assertThat(ratio).as("v bound ratio").isBetween(0.97, 1.03);
                for (int i = 0; i < u.length; i++) {
                    assertThat(w[i]).isCloseTo(u[i] * ratio, org.assertj.core.data.Offset.offset(1e-12));
                }
            } else {
                assertThat(w).as(uniform.get(t).name()).isEqualTo(u);
            }
        }
        assertThat(Network.initialize(spec, 7).parameters().get("layers.0.g.v").data())
                .as("the default is UNIFORM").isEqualTo(uniform.get("layers.0.g.v").data());
        assertThat(Network.initialize(spec, 7, LrnnInit.UNIT_VARIANCE).parameters().get("layers.0.g.v").data())
                .as("deterministic").isEqualTo(unit.get("layers.0.g.v").data());
    }

    /**
     * The quadrature itself, pinned to values computed independently (a plain-Python copy of the rule
     * that tools/python/lrnn.py's mean_sigma_square implements): PyTorch starts alike only if both agree.
     */
    @Test
    void theQuadratureMatchesThePythonMirror() {
        LrnnLayer spder = new LrnnLayer("layers.0.", 0, 2,
                new LrnnLayerSpec(4, 16, 1, UnivariateActivation.SPDER, 30, false, true));
        LrnnLayer sin = new LrnnLayer("layers.0.", 0, 2,
                new LrnnLayerSpec(4, 16, 1, UnivariateActivation.SIN, 30, false, true));
        LrnnLayer sinOmega1 = new LrnnLayer("layers.0.", 0, 2,
                new LrnnLayerSpec(4, 16, 1, UnivariateActivation.SIN, 1, false, true));
        LrnnLayer spderOmega5 = new LrnnLayer("layers.0.", 0, 2,
                new LrnnLayerSpec(4, 16, 1, UnivariateActivation.SPDER, 5, false, true));
        org.assertj.core.data.Offset<Double> tight = org.assertj.core.data.Offset.offset(1e-9);
        assertThat(spder.meanSigmaSquare(0.47)).isCloseTo(8.058694951515328, tight);
        assertThat(sin.meanSigmaSquare(0.47)).isCloseTo(0.5001312962172972, tight);
        assertThat(spderOmega5.meanSigmaSquare(1.1)).isCloseTo(1.746171617606568, tight);
        assertThat(sinOmega1.meanSigmaSquare(1.1)).isCloseTo(0.37407261576691575, tight);
    }

    private static NetworkSpec spec(UnivariateActivation activation, double omega) {
        return new NetworkSpec(2, java.util.List.of(new LrnnLayerSpec(32, 4, 8, activation, omega, false, false)), 1,
                Task.REGRESSION);
    }

    /** Var[g] pooled over rows, neurons and factors, for standard normal inputs, from the layer's own factors. */
    private static double functionVariance(UnivariateActivation activation, double omega, LrnnInit init) {
        LrnnLayerSpec spec = new LrnnLayerSpec(32, 4, 8, activation, omega, false, false);
        LrnnLayer layer = new LrnnLayer("layers.0.", 0, 2, spec);
        Parameters params = new Parameters(layer.layout());
        layer.initialize(params, new SplittableRandom(11), init);
        SplittableRandom random = new SplittableRandom(12);
        DMatrixRMaj input = new DMatrixRMaj(ROWS, 2);
        for (int i = 0; i < input.data.length; i++) {
            input.data[i] = random.nextGaussian();
        }
        LayerBuffers buffers = new LayerBuffers();
        layer.forward(params, input, buffers);
        double[] f = buffers.factorsT.data;
        int n = ROWS * 32 * 4;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (f[i] - 1) / spec.gamma();
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double g = (f[i] - 1) / spec.gamma() - mean;
            var += g * g;
        }
        return var / n;
    }
}

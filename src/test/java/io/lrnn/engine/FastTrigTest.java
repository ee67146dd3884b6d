package io.lrnn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link FastTrig} against {@link StrictMath} over the ranges LRNN layers use and beyond. */
class FastTrigTest {

    /** The documented bound: 2 ulps of the result, or 1e-20 absolute right next to a zero. */
    private static final double MAX_ULPS = 2;
    private static final double ABSOLUTE = 1e-20;
    private static final int SAMPLES = 2_000_000;

    @ParameterizedTest(name = "|x| <= {0}")
    @CsvSource({"0.785", "10", "200", "1e4", "1e6"})
    void sinAndCosStayWithinTheBound(double range) {
        SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(range));
        for (int i = 0; i < SAMPLES; i++) {
            double x = range * (2 * random.nextDouble() - 1);
            check(x, FastTrig::sin, StrictMath::sin);
            check(x, FastTrig::cos, StrictMath::cos);
        }
    }

    @Test
    void nearMultiplesOfHalfPiAndSpecialValues() {
        for (int k = -20000; k <= 20000; k++) {
            double x = k * Math.PI / 2;
            for (double at : new double[] {x, Math.nextUp(x), Math.nextDown(x), x + 1e-9}) {
                check(at, FastTrig::sin, StrictMath::sin);
                check(at, FastTrig::cos, StrictMath::cos);
            }
        }
        assertThat(FastTrig.sin(0.0)).isEqualTo(0.0);
        assertThat(FastTrig.cos(0.0)).isEqualTo(1.0);
        assertThat(FastTrig.sin(Double.NaN)).isNaN();
        assertThat(FastTrig.cos(Double.POSITIVE_INFINITY)).isNaN();
        assertThat(FastTrig.sin(1e300)).isEqualTo(Math.sin(1e300));
    }

    @Test
    void arrayFormsMatchTheScalarOnes() {
        SplittableRandom random = new SplittableRandom(9);
        double[] x = new double[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = 300 * (2 * random.nextDouble() - 1);
        }
        double[] sin = new double[x.length];
        double[] cos = new double[x.length];
        FastTrig.sin(x, sin, x.length);
        FastTrig.cos(x, cos, x.length);
        for (int i = 0; i < x.length; i++) {
            assertThat(sin[i]).isEqualTo(FastTrig.sin(x[i]));
            assertThat(cos[i]).isEqualTo(FastTrig.cos(x[i]));
        }
    }

    private static void check(double x, DoubleUnaryOperator fast, DoubleUnaryOperator exact) {
        double want = exact.applyAsDouble(x);
        double got = fast.applyAsDouble(x);
        assertThat(Math.abs(got - want)).as("x = %s: %s vs %s", x, got, want)
                .isLessThanOrEqualTo(Math.max(MAX_ULPS * Math.ulp(want), ABSOLUTE));
    }
}

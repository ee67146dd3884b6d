package io.lrnn.engine;

/**
 * Sine and cosine for the engine's hot loops. The argument is reduced by a multiple k of pi
 * (Cody-Waite, pi in three 33-bit parts, exact for |k| < 2^20) and a degree-21 odd polynomial
 * is evaluated on [-pi/2, pi/2] by Horner's rule in fused multiply-adds ({@link MulAdd});
 * cosine is the sine of x + pi/2 reduced the same way. There is no branch and no table, so the
 * array forms compile to SIMD loops. Error against
 * {@link StrictMath} for |x| <= {@link #MAX_FAST}: at most 2 ulps, except within about 1e-12 of
 * a large multiple of pi, where the result is tiny and its absolute error stays below 1e-20
 * (FastTrigTest measures both). Beyond MAX_FAST the scalar forms defer to {@link Math}, and
 * callers of the array forms must do the same.
 */
public final class FastTrig {

    /** Largest |x| for which the reduction is exact. */
    public static final double MAX_FAST = 1e6;

    private static final double INV_PI = 0.318309886183790671538;
    private static final double PI_1 = 3.14159265346825122833e+00;
    private static final double PI_2 = 1.21542010126079319532e-10;
    private static final double PI_3 = 4.04453249742233291160e-21;

    // Taylor coefficients (-1)^n / (2n+1)!; the next term is below 2^-53 on [-pi/2, pi/2].
    private static final double S3 = -1.0 / 6;
    private static final double S5 = 1.0 / 120;
    private static final double S7 = -1.0 / 5040;
    private static final double S9 = 1.0 / 362880;
    private static final double S11 = -1.0 / 39916800;
    private static final double S13 = 1.0 / 6227020800.0;
    private static final double S15 = -1.0 / 1307674368000.0;
    private static final double S17 = 1.0 / 355687428096000.0;
    private static final double S19 = -1.0 / 121645100408832000.0;
    private static final double S21 = 1.0 / 51090942171709440000.0;

    private FastTrig() {
    }

    public static double sin(double x) {
        return Math.abs(x) <= MAX_FAST ? reducedSin(x, Math.rint(x * INV_PI), 0) : Math.sin(x);
    }

    public static double cos(double x) {
        return Math.abs(x) <= MAX_FAST ? reducedSin(x, Math.rint(x * INV_PI + 0.5), 0.5) : Math.cos(x);
    }

    /** {@code out[i] = sin(x[i])} for i < n; requires |x[i]| <= MAX_FAST. */
    public static void sin(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            out[i] = reducedSin(v, Math.rint(v * INV_PI), 0);
        }
    }

    /** {@code out[i] = cos(x[i])} for i < n; requires |x[i]| <= MAX_FAST. */
    public static void cos(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            out[i] = reducedSin(v, Math.rint(v * INV_PI + 0.5), 0.5);
        }
    }

    /**
     * sin(x + shift * pi) given k = round(x / pi + shift): (-1)^k sin(r) with
     * r = x - (k - shift) pi in [-pi/2, pi/2].
     */
    private static double reducedSin(double x, double k, double shift) {
        double m = k - shift;
        double r = ((x - m * PI_1) - m * PI_2) - m * PI_3;
        double half = 0.5 * k;
        double odd = half - Math.rint(half);
        double sign = 1 - 8 * odd * odd;
        double r2 = r * r;
        double p = MulAdd.of(S21, r2, S19);
        p = MulAdd.of(p, r2, S17);
        p = MulAdd.of(p, r2, S15);
        p = MulAdd.of(p, r2, S13);
        p = MulAdd.of(p, r2, S11);
        p = MulAdd.of(p, r2, S9);
        p = MulAdd.of(p, r2, S7);
        p = MulAdd.of(p, r2, S5);
        p = MulAdd.of(p, r2, S3);
        return sign * MulAdd.of(r * r2, p, r);
    }
}

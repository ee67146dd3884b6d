package io.lrnn.engine;

import java.util.function.DoubleSupplier;

/** Central finite differences: the reference that every analytic gradient is checked against. */
public final class GradientCheck {

    /** Step of the central difference; its truncation error is O(STEP^2). */
    public static final double STEP = 1e-6;

    private GradientCheck() {
    }

    /** d loss / d values[index] by central differences; leaves {@code values} unchanged. */
    public static double numeric(double[] values, int index, DoubleSupplier loss) {
        double saved = values[index];
        values[index] = saved + STEP;
        double plus = loss.getAsDouble();
        values[index] = saved - STEP;
        double minus = loss.getAsDouble();
        values[index] = saved;
        return (plus - minus) / (2 * STEP);
    }

    /** ||analytic - numeric|| / max(||analytic||, ||numeric||, 1e-12) over a whole tensor. */
    public static double relativeError(double[] analytic, double[] numeric) {
        double diff = 0;
        double a = 0;
        double n = 0;
        for (int i = 0; i < analytic.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += analytic[i] * analytic[i];
            n += numeric[i] * numeric[i];
        }
        return Math.sqrt(diff) / Math.max(Math.max(Math.sqrt(a), Math.sqrt(n)), 1e-12);
    }
}

package io.lrnn.engine;

/**
 * Sums with four independent accumulators: the order is fixed (results are reproducible) and the
 * four chains run in parallel in the CPU, unlike a single running sum.
 */
final class Reductions {

    private Reductions() {
    }

    static double sum(double[] x, int n) {
        return sum(x, 0, n);
    }

    /** sum of x[offset + i] for i < n. */
    static double sum(double[] x, int offset, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = offset;
        int end = offset + n;
        for (; i + 3 < end; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < end; i++) {
            s0 += x[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double dot(double[] x, double[] y, int n) {
        return dot(x, y, 0, n);
    }

    /** sum of x[i] * y[offset + i] for i < n. */
    static double dot(double[] x, double[] y, int offset, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[i] * y[offset + i];
            s1 += x[i + 1] * y[offset + i + 1];
            s2 += x[i + 2] * y[offset + i + 2];
            s3 += x[i + 3] * y[offset + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[i] * y[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}

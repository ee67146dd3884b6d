package io.lrnn.engine;

import java.util.Locale;
import java.util.SplittableRandom;

/** GFLOP/s of {@link Affine#multiply} on the paper shape's three products for one 256-row block. */
public final class MultiplyCost {

    private MultiplyCost() {
    }

    public static void main(String[] args) {
        int rows = 256;
        int rd = 1696;
        int n = 106;
        SplittableRandom random = new SplittableRandom(1);
        double[] w = new double[rd * n];
        double[] u = new double[rows * n];
        double[] g = new double[rd * rows];
        double[] out = new double[rd * rows];
        double[] dw = new double[rd * n];
        double[] du = new double[rows * n];
        Affine.uniform(w, 1, random);
        Affine.uniform(u, 1, random);
        Affine.uniform(g, 1, random);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) {
                Affine.multiply(w, n, 1, u, out, rd, rows, n, false); // Z^T = W U^T (u as n x rows)
            }
            long t1 = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) {
                Affine.multiply(g, rows, 1, u, dw, rd, n, rows, true); // dW += G^T U
            }
            long t2 = System.nanoTime();
            for (int rep = 0; rep < 20; rep++) {
                Affine.multiply(g, 1, rows, w, du, rows, n, rd, false); // dU = G W
            }
            long t3 = System.nanoTime();
            double flop = 20.0 * 2 * rows * rd * n / 1e9;
            System.out.printf(Locale.ROOT, "forward %.1f GFLOP/s, dW %.1f, dU %.1f (check %.3e)%n", flop / ((t1 - t0) / 1e9),
                    flop / ((t2 - t1) / 1e9), flop / ((t3 - t2) / 1e9), out[7] + dw[9] + du[11]);
        }
    }
}

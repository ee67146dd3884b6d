package io.lrnn.bench;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The reference configuration of docs/performance.md and tools/python/bench_reference.py: input 2,
 * two LRNN layers (r = 64, d = 4, h = 8, sin, omega 30 then 1, LayerNorm, per-neuron functions), a
 * regression head with 1 output, x uniform in [-1, 1]^2 and target sin(pi x1) cos(pi x2); and the
 * same shape with other r, d and h for the scaling table.
 */
public final class ReferenceProblem {

    public static final int WIDTH = 64;
    public static final int PROJECTION = 4;
    public static final int HIDDEN = 8;
    public static final int BATCH = 16_384;

    private ReferenceProblem() {
    }

    public static NetworkSpec spec() {
        return spec(WIDTH, PROJECTION, HIDDEN);
    }

    /** Two LRNN layers of width r, projection d and function width h, otherwise the reference. */
    public static NetworkSpec spec(int r, int d, int h) {
        return new NetworkSpec(2, List.of(
                new LrnnLayerSpec(r, d, h, UnivariateActivation.SIN, 30, false, true),
                new LrnnLayerSpec(r, d, h, UnivariateActivation.SIN, 1, false, true)),
                1, Task.REGRESSION);
    }

    /** {@code rows} inputs (column 0 of the pair) and targets (column 1), seed 7. */
    public static DMatrixRMaj[] data(int rows) {
        SplittableRandom random = new SplittableRandom(7);
        DMatrixRMaj x = new DMatrixRMaj(rows, 2);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 0; b < rows; b++) {
            double x1 = 2 * random.nextDouble() - 1;
            double x2 = 2 * random.nextDouble() - 1;
            x.set(b, 0, x1);
            x.set(b, 1, x2);
            y.set(b, 0, Math.sin(Math.PI * x1) * Math.cos(Math.PI * x2));
        }
        return new DMatrixRMaj[] {x, y};
    }

    /** 0, 1, ..., rows - 1: every row, in order. */
    public static int[] allRows(int rows) {
        int[] all = new int[rows];
        for (int b = 0; b < rows; b++) {
            all[b] = b;
        }
        return all;
    }
}

package io.lrnn.bench;

import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.train.BatchPass;
import io.lrnn.engine.train.Loss;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;

/**
 * The cost of one full-batch training step (forward + backward) and of one forward pass of the
 * paper's image shape, 2 x (r 106, d 16, h 1) with LayerNorm, on a 256 x 256 grid of coordinates
 * (65,536 rows), single-threaded. Uses only the engine's public API, so the same class runs against
 * an older build of the engine ({@code bench/step-cost.sh} runs it on both and prints the ratio).
 *
 * Times are the thread's CPU time (the pass runs in the calling thread), and the fastest of the timed
 * runs is reported: on a shared machine wall time measures the load more than the engine.
 *
 * <p>Arguments: {@code --rows N} (default 65,536), {@code --runs N} (timed repetitions after one
 * warm-up, default 3), {@code --act sin|spder}.
 */
public final class StepCost {

    private StepCost() {
    }

    public static void main(String[] args) {
        int rows = 65_536;
        int runs = 3;
        UnivariateActivation act = UnivariateActivation.SIN;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--act" -> act = args[i + 1].equals("spder") ? UnivariateActivation.SPDER : UnivariateActivation.SIN;
                default -> throw new IllegalArgumentException("expected --rows, --runs or --act but found " + args[i]);
            }
        }
        List<LayerSpec> layers = List.of(new LrnnLayerSpec(106, 16, 1, act, 30, false, true),
                new LrnnLayerSpec(106, 16, 1, act, 1, false, true));
        Network network = Network.initialize(new NetworkSpec(2, layers, 1, Task.REGRESSION), 42);
        int side = (int) Math.round(Math.sqrt(rows));
        DMatrixRMaj x = new DMatrixRMaj(rows, 2);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 0; b < rows; b++) {
            double u = -1 + 2.0 * (b % side) / (side - 1);
            double v = -1 + 2.0 * (b / side) / (side - 1);
            x.set(b, 0, u * 1.7);
            x.set(b, 1, v * 1.7);
            y.set(b, 0, Math.cos(24 * (u * u + v * v)));
        }
        int[] index = new int[rows];
        Arrays.setAll(index, i -> i);
        BatchPass pass = new BatchPass(network, Loss.MSE, null);
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        double[] step = new double[runs];
        double[] forward = new double[runs];
        double check = 0;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int run = -1; run < runs; run++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            check += pass.lossAndGradient(x, y, index, rows, grads);
            long t1 = cpu.getCurrentThreadCpuTime();
            check += network.predict(x).get(rows / 2, 0);
            long t2 = cpu.getCurrentThreadCpuTime();
            if (run >= 0) {
                step[run] = (t1 - t0) / 1e9;
                forward[run] = (t2 - t1) / 1e9;
            }
        }
        Arrays.sort(step);
        Arrays.sort(forward);
        System.out.printf(Locale.ROOT, "params %d rows %d act %s: training step %.2f s (CPU time, fastest of %d), forward %.2f s,"
                + " check %.6e, gradient norm %.6e%n", network.parameters().count(), rows, act, step[0], runs,
                forward[0], check, norm(grads));
    }

    private static double norm(Parameters grads) {
        double sum = 0;
        for (int t = 0; t < grads.size(); t++) {
            for (double g : grads.get(t).data()) {
                sum += g * g;
            }
        }
        return Math.sqrt(sum);
    }
}

package io.lrnn.bench;

import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.train.Adam;
import io.lrnn.engine.train.BatchPass;
import io.lrnn.engine.train.Loss;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.ejml.data.DMatrixRMaj;

/**
 * How the engine's time and memory grow with the batch size B, the width r, the projection d and
 * the function width h: starting from the reference configuration (B = 16,384, r = 64, d = 4,
 * h = 8), one of them varies at a time. For each point: the median of 3 forward passes and of 3
 * full-batch training steps (after one of each to warm up) on a 2-thread pool, and the heap the
 * training state keeps (workspaces, gradients, Adam moments: measured after a GC). Every figure
 * is also given relative to the reference point, measured in the same run. Prints a markdown
 * table (bench/engine.sh keeps it in target/bench/scaling.md).
 */
public final class EngineScaling {

    private static final int THREADS = 2;
    private static final int RUNS = 3;

    private record Point(String varied, int batch, int r, int d, int h) {
    }

    private record Figures(long parameters, double forward, double step, double stateMib) {
    }

    private EngineScaling() {
    }

    public static void main(String[] args) {
        int b0 = ReferenceProblem.BATCH;
        int r0 = ReferenceProblem.WIDTH;
        int d0 = ReferenceProblem.PROJECTION;
        int h0 = ReferenceProblem.HIDDEN;
        List<Point> points = new ArrayList<>();
        points.add(new Point("reference", b0, r0, d0, h0));
        for (int batch : new int[] {1024, 4096, 65536}) {
            points.add(new Point("B", batch, r0, d0, h0));
        }
        for (int r : new int[] {16, 32, 128}) {
            points.add(new Point("r", b0, r, d0, h0));
        }
        for (int d : new int[] {1, 2, 8, 16}) {
            points.add(new Point("d", b0, r0, d, h0));
        }
        for (int h : new int[] {2, 4, 16, 32}) {
            points.add(new Point("h", b0, r0, d0, h));
        }
        ForkJoinPool pool = new ForkJoinPool(THREADS);
        System.out.println("| varied | B | r | d | h | parameters | forward (s) | x ref | training step (s) | x ref "
                + "| training state (MiB) | x ref |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        Figures reference = null;
        for (Point point : points) {
            Figures f = measure(point, pool);
            reference = reference == null ? f : reference;
            System.out.printf("| %s | %,d | %d | %d | %d | %,d | %.3f | %.2f | %.3f | %.2f | %.1f | %.2f |%n",
                    point.varied(), point.batch(), point.r(), point.d(), point.h(), f.parameters(), f.forward(),
                    f.forward() / reference.forward(), f.step(), f.step() / reference.step(), f.stateMib(),
                    f.stateMib() / reference.stateMib());
        }
        pool.shutdown();
    }

    private static Figures measure(Point point, ForkJoinPool pool) {
        NetworkSpec spec = ReferenceProblem.spec(point.r(), point.d(), point.h());
        DMatrixRMaj[] data = ReferenceProblem.data(point.batch());
        int[] rows = ReferenceProblem.allRows(point.batch());
        Network network = Network.initialize(spec, 1);
        long heapBefore = usedHeapAfterGc();
        BatchPass pass = new BatchPass(network, Loss.MSE, pool);
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        Adam adam = new Adam(network.parameters(), 0);
        double[] steps = new double[RUNS + 1];
        for (int i = 0; i < steps.length; i++) {
            long start = System.nanoTime();
            pass.lossAndGradient(data[0], data[1], rows, rows.length, grads);
            adam.step(grads, 1e-3);
            steps[i] = (System.nanoTime() - start) / 1e9;
        }
        double state = (usedHeapAfterGc() - heapBefore) / 1048576.0;
        Reference.reachabilityFence(pass);
        Reference.reachabilityFence(grads);
        Reference.reachabilityFence(adam);
        double[] forwards = new double[RUNS + 1];
        for (int i = 0; i < forwards.length; i++) {
            long start = System.nanoTime();
            network.predict(data[0], pool);
            forwards[i] = (System.nanoTime() - start) / 1e9;
        }
        return new Figures(network.parameters().count(), medianAfterFirst(forwards), medianAfterFirst(steps), state);
    }

    private static double medianAfterFirst(double[] times) {
        double[] kept = Arrays.copyOfRange(times, 1, times.length);
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }

    /** Bytes of heap in use after a few full collections. */
    static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}

package io.lrnn.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Once warmed up, a training step (loss, gradient and Adam update over several row chunks and
 * blocks) and a single-row predict allocate nothing on the Java heap: the workspaces, gradient
 * buffers and fork-join tasks are all reused. Counted with the JVM's per-thread allocation
 * counter, in the calling thread (no pool, so all the work happens there).
 */
class SteadyStateAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aTrainingStepAndARowPredictAllocateNothingOnceWarm() {
        assumeThat(THREADS.isThreadAllocatedMemorySupported()).as("per-thread allocation counter").isTrue();
        NetworkSpec spec = new NetworkSpec(2, List.of(
                new LrnnLayerSpec(16, 4, 4, UnivariateActivation.SIN, 30, false, true),
                new LrnnLayerSpec(16, 4, 4, UnivariateActivation.SPDER, 1, true, false)), 3, Task.CLASSIFICATION);
        Network network = Network.initialize(spec, 3);
        int rows = 1500; // 8 chunks, and blocks of 256 rows and fewer
        SplittableRandom random = new SplittableRandom(5);
        DMatrixRMaj x = new DMatrixRMaj(rows, 2);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        int[] order = new int[rows];
        for (int b = 0; b < rows; b++) {
            x.set(b, 0, random.nextDouble());
            x.set(b, 1, random.nextDouble());
            y.set(b, 0, random.nextInt(3));
            order[b] = rows - 1 - b;
        }
        BatchPass pass = new BatchPass(network, Loss.CROSS_ENTROPY, null);
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        Adam adam = new Adam(network.parameters(), 1e-4);
        Model model = new Model(network, List.of("x1", "x2"), List.of("a", "b", "c"), null, null);
        double[] row = {0.3, 0.6};
        double[] out = new double[3];
        Runnable step = () -> {
            pass.lossAndGradient(x, y, order, rows, grads);
            adam.step(grads, 1e-3);
        };
        Runnable predict = () -> model.predictRow(row, out);
        for (int warm = 0; warm < 20; warm++) {
            step.run();
            predict.run();
        }

        assertThat(allocatedBy(step)).as("bytes allocated by a training step").isZero();
        assertThat(allocatedBy(predict)).as("bytes allocated by a single-row predict").isZero();
    }

    private static long allocatedBy(Runnable work) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        work.run();
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }
}

package io.lrnn.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.GradientCheck;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Parameters;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both losses, through the chunked and parallel {@link BatchPass}, against finite differences of
 * the mean loss; 300 rows make three chunks, so the reduction is checked too.
 */
class LossGradientTest {

    private static final double TOLERANCE = 1e-6;
    private static final int ROWS = 300;

    @ParameterizedTest
    @EnumSource(Task.class)
    void batchGradientMatchesFiniteDifferences(Task task) {
        int outputs = 3;
        NetworkSpec spec = new NetworkSpec(2, List.of(
                new LrnnLayerSpec(4, 3, 2, UnivariateActivation.SIN, 2.0, false, true)), outputs, task);
        Network network = Network.initialize(spec, 3);
        SplittableRandom random = new SplittableRandom(5);
        DMatrixRMaj x = new DMatrixRMaj(ROWS, 2);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = 2 * random.nextDouble() - 1;
        }
        DMatrixRMaj y = new DMatrixRMaj(ROWS, task == Task.REGRESSION ? outputs : 1);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = task == Task.REGRESSION ? random.nextGaussian() : random.nextInt(outputs);
        }
        int[] rows = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            rows[i] = ROWS - 1 - i;
        }
        Loss loss = task == Task.REGRESSION ? Loss.MSE : Loss.CROSS_ENTROPY;
        ForkJoinPool pool = new ForkJoinPool(2);
        BatchPass pass = new BatchPass(network, loss, pool);
        Parameters grads = Parameters.zeros(network.parameters().tensors());
        pass.lossAndGradient(x, y, rows, ROWS, grads);

        BatchPass reference = new BatchPass(network, loss, null);
        for (int t = 0; t < grads.size(); t++) {
            double[] values = network.parameters().get(t).data();
            double[] numeric = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                numeric[i] = GradientCheck.numeric(values, i, () -> reference.evaluate(x, y, rows, ROWS).loss());
            }
            assertThat(GradientCheck.relativeError(grads.get(t).data(), numeric))
                    .as(grads.get(t).name()).isLessThan(TOLERANCE);
        }
        pool.shutdown();
    }
}

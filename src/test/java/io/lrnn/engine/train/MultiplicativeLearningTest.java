package io.lrnn.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The paper's multiplicative-structure claim, small: on products of univariate functions an LRNN
 * reaches a lower held-out MSE than a tanh MLP with more parameters, trained with the same
 * optimiser, rate, batch and number of steps.
 */
class MultiplicativeLearningTest {

    private static final int STEPS = 1500;

    @ParameterizedTest(name = "{0} in {1} dimensions")
    @CsvSource({"x, 3", "sin(pi x), 4"})
    void lrnnBeatsALargerTanhMlp(String factor, int n) {
        DoubleUnaryOperator f = factor.equals("x") ? x -> x : x -> Math.sin(Math.PI * x);
        TrainingData train = productOf(f, n, 2000, 1);
        TrainingData test = productOf(f, n, 1000, 2);
        NetworkSpec lrnn = new NetworkSpec(n, List.of(
                new LrnnLayerSpec(8, n, 8, UnivariateActivation.SIN, 1.0, false, false)), 1, Task.REGRESSION);
        NetworkSpec mlp = new NetworkSpec(n, List.of(new DenseLayerSpec(32, DenseActivation.TANH),
                new DenseLayerSpec(32, DenseActivation.TANH)), 1, Task.REGRESSION);

        TrainingResult lrnnResult = train(lrnn, train);
        TrainingResult mlpResult = train(mlp, train);

        assertThat(mlpResult.model().network().parameters().count())
                .isGreaterThanOrEqualTo(lrnnResult.model().network().parameters().count());
        double lrnnMse = heldOutMse(lrnnResult, test);
        double mlpMse = heldOutMse(mlpResult, test);
        assertThat(lrnnMse).as("LRNN held-out MSE %s vs tanh MLP %s", lrnnMse, mlpMse).isLessThan(mlpMse / 2);
    }

    /** y = prod_i f(x_i), x uniform in [-1, 1]^n. */
    static TrainingData productOf(DoubleUnaryOperator f, int n, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(rows, n);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("x" + (i + 1));
        }
        for (int b = 0; b < rows; b++) {
            double product = 1;
            for (int i = 0; i < n; i++) {
                double v = 2 * random.nextDouble() - 1;
                x.set(b, i, v);
                product *= f.applyAsDouble(v);
            }
            y.set(b, 0, product);
        }
        return new TrainingData(x, y, names, List.of("y"), null);
    }

    private static TrainingResult train(NetworkSpec spec, TrainingData data) {
        TrainingConfig config = TrainingConfig.builder().epochs(Integer.MAX_VALUE).maxSteps(STEPS).batchSize(128)
                .learningRate(0.01).validation(0, 0).build();
        return new Trainer(config).train(spec, data, TrainingListener.NONE, () -> false);
    }

    private static double heldOutMse(TrainingResult result, TrainingData test) {
        DMatrixRMaj predicted = result.model().predict(test.features());
        double sum = 0;
        for (int b = 0; b < test.rows(); b++) {
            sum += Math.pow(predicted.get(b, 0) - test.targets().get(b, 0), 2);
        }
        return sum / test.rows();
    }
}

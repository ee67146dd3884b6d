package io.lrnn.tools;

import io.lrnn.engine.LrnnLayerSpec;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.UnivariateActivation;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.engine.train.Trainer;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingListener;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Makes the example model shipped in {@code models/demo/1}: y = sin(pi x1) sin(pi x2) on
 * [-1, 1]^2. Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.lrnn.tools.ExampleModel -Dexec.args=models/demo/1} (the target must not exist).
 */
public final class ExampleModel {

    private ExampleModel() {
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        int rows = 4000;
        DMatrixRMaj x = new DMatrixRMaj(rows, 2);
        DMatrixRMaj y = new DMatrixRMaj(rows, 1);
        for (int b = 0; b < rows; b++) {
            x.set(b, 0, 2 * random.nextDouble() - 1);
            x.set(b, 1, 2 * random.nextDouble() - 1);
            y.set(b, 0, Math.sin(Math.PI * x.get(b, 0)) * Math.sin(Math.PI * x.get(b, 1)));
        }
        NetworkSpec spec = new NetworkSpec(2, List.of(
                new LrnnLayerSpec(16, 2, 8, UnivariateActivation.SIN, 1.0, false, false)), 1, Task.REGRESSION);
        TrainingConfig config = TrainingConfig.builder().epochs(100).batchSize(128).learningRate(0.01)
                .validation(0.2, 20).seed(1).build();
        var result = new Trainer(config).train(spec,
                new TrainingData(x, y, List.of("x1", "x2"), List.of("y"), "synthetic:sin(pi x1) sin(pi x2)"),
                TrainingListener.NONE, () -> false);
        ModelFiles.write(result.model(), Path.of(args[0]));
        System.out.printf("wrote %s: %d steps, validation MSE (standardised) %.2e%n", args[0], result.steps(),
                result.bestValidationLoss());
    }
}

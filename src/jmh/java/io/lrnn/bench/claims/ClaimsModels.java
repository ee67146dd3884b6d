package io.lrnn.bench.claims;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.LayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.Tensor;
import io.lrnn.engine.train.Trainer;
import io.lrnn.engine.train.TrainingConfig;
import io.lrnn.engine.train.TrainingData;
import io.lrnn.engine.train.TrainingListener;
import io.lrnn.engine.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * What the products and tabular experiments share: the tanh MLP baseline sized to a parameter
 * budget, parameter counts, one training run, held-out metrics in raw units.
 */
final class ClaimsModels {

    private ClaimsModels() {
    }

    /** Scalar parameters of {@code spec}, head included. */
    static long parameterCount(NetworkSpec spec) {
        long n = 0;
        for (Tensor t : Network.layout(spec)) {
            n += t.data().length;
        }
        return n;
    }

    /** A tanh MLP with {@code depth} hidden layers of {@code width}. */
    static NetworkSpec tanhMlp(int inputs, int depth, int width, int outputs, Task task) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int k = 0; k < depth; k++) {
            layers.add(new DenseLayerSpec(width, DenseActivation.TANH));
        }
        return new NetworkSpec(inputs, layers, outputs, task);
    }

    /** The tanh MLP with {@code depth} hidden layers whose parameter count is closest to {@code budget}. */
    static NetworkSpec tanhMlpNear(long budget, int inputs, int depth, int outputs, Task task) {
        NetworkSpec best = null;
        long bestGap = Long.MAX_VALUE;
        for (int width = 1; width <= 4096; width++) {
            NetworkSpec spec = tanhMlp(inputs, depth, width, outputs, task);
            long gap = Math.abs(parameterCount(spec) - budget);
            if (gap < bestGap) {
                best = spec;
                bestGap = gap;
            } else if (parameterCount(spec) > budget) {
                break;
            }
        }
        return best;
    }

    /** Trains {@code spec} on {@code data} with {@code config}, no progress reports, never cancelled. */
    static TrainingResult train(NetworkSpec spec, TrainingData data, TrainingConfig config) {
        return new Trainer(config).train(spec, data, TrainingListener.NONE, () -> false);
    }

    /** Mean squared error of the model's predictions (raw units) for the first target column. */
    static double mse(Model model, DMatrixRMaj features, DMatrixRMaj targets) {
        DMatrixRMaj predicted = model.predict(features);
        double sum = 0;
        for (int b = 0; b < targets.numRows; b++) {
            double e = predicted.get(b, 0) - targets.get(b, 0);
            sum += e * e;
        }
        return sum / targets.numRows;
    }

    /** Population variance of the first column of {@code targets}. */
    static double variance(DMatrixRMaj targets) {
        double mean = 0;
        for (int b = 0; b < targets.numRows; b++) {
            mean += targets.get(b, 0);
        }
        mean /= targets.numRows;
        double sum = 0;
        for (int b = 0; b < targets.numRows; b++) {
            double e = targets.get(b, 0) - mean;
            sum += e * e;
        }
        return sum / targets.numRows;
    }

    /** The training schedule both models of a comparison get: Adam, cosine rate, fixed steps, no validation. */
    static TrainingConfig config(long steps, int batch, double rate, long seed) {
        return TrainingConfig.builder().epochs(Integer.MAX_VALUE).maxSteps(steps).batchSize(batch)
                .learningRate(rate).validation(0, 0).seed(seed).progressEvery(Integer.MAX_VALUE).build();
    }
}

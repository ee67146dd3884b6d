package io.lrnn.engine.train;

import static io.lrnn.engine.SpecException.require;

import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Rows to learn from: raw {@code features} (rows x inputs) and {@code targets}: rows x outputs
 * for regression, rows x 1 class indices into {@code outputs} (the labels) for classification.
 * {@code digest} identifies the data set in the model's provenance (may be null).
 */
public record TrainingData(DMatrixRMaj features, DMatrixRMaj targets, List<String> inputs, List<String> outputs,
                           String digest) {

    public TrainingData {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        require(features.numRows > 0, "features", "at least one row", 0);
        require(targets.numRows == features.numRows, "targets", features.numRows + " rows", targets.numRows);
        require(features.numCols == inputs.size(), "features", inputs.size() + " columns", features.numCols);
        checkFinite("features", features);
        checkFinite("targets", targets);
    }

    private static void checkFinite(String field, DMatrixRMaj m) {
        for (int i = 0; i < m.data.length && i < m.numRows * m.numCols; i++) {
            require(Double.isFinite(m.data[i]), field + "[" + i / m.numCols + "][" + i % m.numCols + "]",
                    "a finite number", m.data[i]);
        }
    }

    public int rows() {
        return features.numRows;
    }

    /** Checks that the data fits {@code spec}: input count, target shape, class indices. */
    void checkFits(NetworkSpec spec) {
        require(inputs.size() == spec.inputSize(), "inputs", spec.inputSize() + " features", inputs.size());
        require(outputs.size() == spec.outputSize(), "outputs", spec.outputSize() + " names", outputs.size());
        if (spec.task() == Task.REGRESSION) {
            require(targets.numCols == spec.outputSize(), "targets", spec.outputSize() + " columns", targets.numCols);
            return;
        }
        require(targets.numCols == 1, "targets", "1 column of class indices", targets.numCols);
        for (int b = 0; b < targets.numRows; b++) {
            double label = targets.data[b];
            require(label >= 0 && label < spec.outputSize() && label == Math.rint(label), "targets[" + b + "]",
                    "a class index in [0, " + spec.outputSize() + ")", label);
        }
    }
}

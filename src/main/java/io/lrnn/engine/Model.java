package io.lrnn.engine;

import static io.lrnn.engine.SpecException.require;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;

/**
 * A servable model: a network with its feature names, output names (regression targets or class
 * labels), standardisation and provenance. {@link #predict} takes raw feature values and returns
 * target values, or class probabilities for classification. Thread-safe.
 */
public record Model(Network network, List<String> inputs, List<String> outputs, Normalization normalization,
                    Provenance provenance) {

    public Model {
        NetworkSpec spec = network.spec();
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        require(inputs.size() == spec.inputSize(), "inputs", spec.inputSize() + " names", inputs.size());
        require(outputs.size() == spec.outputSize(), "outputs", spec.outputSize() + " names", outputs.size());
        require(new HashSet<>(inputs).size() == inputs.size(), "inputs", "distinct names", inputs);
        require(new HashSet<>(outputs).size() == outputs.size(), "outputs", "distinct names", outputs);
        if (normalization == null) {
            normalization = Normalization.identity(spec.inputSize(),
                    spec.task() == Task.REGRESSION ? spec.outputSize() : 0);
        }
        require(normalization.inputMean().length == spec.inputSize(), "normalization.inputMean",
                spec.inputSize() + " values", normalization.inputMean().length);
        int targets = spec.task() == Task.REGRESSION ? spec.outputSize() : 0;
        require(normalization.targetMean().length == targets, "normalization.targetMean", targets + " values",
                normalization.targetMean().length);
        if (provenance == null) {
            provenance = Provenance.NONE;
        }
    }

    public NetworkSpec spec() {
        return network.spec();
    }

    public Task task() {
        return network.spec().task();
    }

    /** Predictions for raw rows (rows x inputs): target values, or class probabilities. */
    public DMatrixRMaj predict(DMatrixRMaj rows) {
        DMatrixRMaj x = rows.copy();
        for (int b = 0; b < x.numRows; b++) {
            normalization.normalizeInput(x.data, b * x.numCols);
        }
        DMatrixRMaj y = network.predict(x);
        for (int b = 0; b < y.numRows; b++) {
            finish(y.data, b * y.numCols);
        }
        return y;
    }

    /** The single-row path: writes the prediction for {@code row} to {@code out}; {@code row} is kept intact. */
    public void predictRow(double[] row, double[] out) {
        network.predictRow(row, normalization, out);
        finish(out, 0);
    }

    private void finish(double[] y, int offset) {
        if (task() == Task.CLASSIFICATION) {
            Network.softmaxInPlace(y, offset, outputs.size());
        } else {
            normalization.denormalizeTarget(y, offset);
        }
    }

    /** Who made the model, from what, when and how (stored in model.json). */
    public record Provenance(String createdAt, String trainedBy, String datasetDigest, Map<String, Object> config) {
        public static final Provenance NONE = new Provenance(null, null, null, Map.of());

        public Provenance {
            config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        }
    }
}

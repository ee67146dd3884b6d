package io.lrnn.engine;

import static io.lrnn.engine.SpecException.require;

import java.util.List;

/**
 * A whole network: {@code inputSize} features, hidden layers, and a linear head with
 * {@code outputSize} outputs (K classes for classification).
 */
public record NetworkSpec(int inputSize, List<LayerSpec> layers, int outputSize, Task task) {

    public NetworkSpec {
        require(inputSize > 0, "inputSize", "a positive integer", inputSize);
        require(layers != null && !layers.isEmpty(), "layers", "at least one layer", layers);
        for (int k = 0; k < layers.size(); k++) {
            require(layers.get(k) != null, "layers[" + k + "]", "a layer", null);
        }
        layers = List.copyOf(layers);
        require(task != null, "task", "regression or classification", task);
        require(outputSize > 0, "outputSize", "a positive integer", outputSize);
        require(task != Task.CLASSIFICATION || outputSize >= 2, "outputSize",
                "at least 2 classes for classification", outputSize);
    }

    /** Number of inputs of layer {@code k} (the head is layer {@code layers().size()}). */
    public int inputSizeOf(int k) {
        return k == 0 ? inputSize : layers.get(k - 1).width();
    }
}

package io.lrnn.engine;

import static io.lrnn.engine.SpecException.require;

/** A plain dense layer {@code act(U W^T + b)}; {@code omega} is used by SINE only. */
public record DenseLayerSpec(int width, DenseActivation activation, double omega) implements LayerSpec {

    public DenseLayerSpec {
        require(width > 0, "width", "a positive integer", width);
        require(activation != null && activation != DenseActivation.IDENTITY, "activation",
                "tanh, relu or sine", activation);
        require(Double.isFinite(omega) && omega > 0, "omega", "a finite number > 0", omega);
    }

    public DenseLayerSpec(int width, DenseActivation activation) {
        this(width, activation, 1.0);
    }
}

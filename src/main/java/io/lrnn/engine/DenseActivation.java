package io.lrnn.engine;

/** Activation of a plain dense layer (for MLP and SIREN baselines and the linear head). */
public enum DenseActivation {
    TANH, RELU,
    /** sin(omega * x), SIREN-style. */
    SINE,
    /** No activation: the head. */
    IDENTITY;

    /** act(x); {@code omega} is used by SINE only. */
    public double value(double x, double omega) {
        return switch (this) {
            case TANH -> Math.tanh(x);
            case RELU -> x > 0 ? x : 0;
            case SINE -> FastTrig.sin(omega * x);
            case IDENTITY -> x;
        };
    }

    /** act'(x) given x and y = act(x). */
    public double derivative(double x, double y, double omega) {
        return switch (this) {
            case TANH -> 1 - y * y;
            case RELU -> x > 0 ? 1 : 0;
            case SINE -> omega * FastTrig.cos(omega * x);
            case IDENTITY -> 1;
        };
    }
}

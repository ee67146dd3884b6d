package io.lrnn.engine.train;

import io.lrnn.engine.Parameters;
import io.lrnn.engine.Tensor;

/**
 * Adam (beta1 0.9, beta2 0.999, eps 1e-8) with optional decoupled weight decay (AdamW), which
 * spares biases and LayerNorm parameters.
 *
 * <p>Lifecycle: create it for the parameters it will update; call {@link #step} once per
 * minibatch with the gradient of that minibatch's loss; the moment estimates live as long as the
 * optimiser, so one optimiser serves one training run.
 */
public final class Adam {

    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double EPS = 1e-8;

    private final Parameters params;
    private final Parameters first;
    private final Parameters second;
    private final boolean[] decays;
    private final double weightDecay;
    private long steps;

    public Adam(Parameters params, double weightDecay) {
        this.params = params;
        this.first = Parameters.zeros(params.tensors());
        this.second = Parameters.zeros(params.tensors());
        this.weightDecay = weightDecay;
        this.decays = new boolean[params.size()];
        for (int t = 0; t < params.size(); t++) {
            String name = params.get(t).name();
            decays[t] = !name.endsWith("bias") && !name.contains(".norm.");
        }
    }

    /** Updates the parameters in place from {@code grads} (same layout) at {@code learningRate}. */
    public void step(Parameters grads, double learningRate) {
        step(grads, learningRate, null);
    }

    /**
     * As {@link #step(Parameters, double)}, with tensor {@code t}'s rate multiplied by
     * {@code rateScale[t]} (learning rates per parameter group); null scales nothing.
     */
    public void step(Parameters grads, double learningRate, double[] rateScale) {
        steps++;
        double correction1 = 1 - Math.pow(BETA1, steps);
        double correction2 = 1 - Math.pow(BETA2, steps);
        for (int t = 0; t < params.size(); t++) {
            Tensor p = params.get(t);
            double[] w = p.data();
            double[] g = grads.get(t).data();
            double[] m = first.get(t).data();
            double[] v = second.get(t).data();
            double rate = rateScale == null ? learningRate : learningRate * rateScale[t];
            double decay = decays[t] ? 1 - rate * weightDecay : 1;
            for (int i = 0; i < w.length; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                double mHat = m[i] / correction1;
                double vHat = v[i] / correction2;
                w[i] = w[i] * decay - rate * mHat / (Math.sqrt(vHat) + EPS);
            }
        }
    }

    /** Number of steps taken. */
    public long steps() {
        return steps;
    }
}

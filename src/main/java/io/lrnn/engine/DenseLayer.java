package io.lrnn.engine;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * {@code Y = act(U W^T + b)}: a hidden dense layer ({@code layers.k.weight/bias}) or, with the
 * identity activation, the network's head ({@code head.weight/bias}).
 */
final class DenseLayer implements Layer {

    private final String prefix;
    private final int first;
    private final int inputSize;
    private final int width;
    private final DenseActivation activation;
    private final double omega;
    private final boolean firstLayer;

    DenseLayer(String prefix, int first, int inputSize, int width, DenseActivation activation,
               double omega, boolean firstLayer) {
        this.prefix = prefix;
        this.first = first;
        this.inputSize = inputSize;
        this.width = width;
        this.activation = activation;
        this.omega = omega;
        this.firstLayer = firstLayer;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return width;
    }

    @Override
    public List<TensorShape> shapes() {
        return List.of(new TensorShape(prefix + "weight", new int[] {width, inputSize}),
                new TensorShape(prefix + "bias", new int[] {width}));
    }

    /**
     * Glorot uniform, bias 0; a sine layer takes SIREN's scheme instead (first layer
     * U(-1/n, 1/n), later ones U(-sqrt(6/n)/omega, sqrt(6/n)/omega)) so baselines train as published.
     */
    @Override
    public void initialize(Parameters params, SplittableRandom random) {
        double limit;
        if (activation == DenseActivation.SINE) {
            limit = firstLayer ? 1.0 / inputSize : Math.sqrt(6.0 / inputSize) / omega;
        } else {
            limit = Math.sqrt(6.0 / (inputSize + width));
        }
        Affine.uniform(params.get(first).data(), limit, random);
    }

    @Override
    public void forward(Parameters params, DMatrixRMaj input, LayerBuffers buffers) {
        Affine.forwardTransposed(input, params.get(first).data(), params.get(first + 1).data(), buffers.inputT,
                buffers.preT);
        DMatrixRMaj outT = buffers.outT;
        outT.reshape(width, input.numRows, false);
        double[] pre = buffers.preT.data;
        int n = input.numRows * width;
        for (int i = 0; i < n; i++) {
            outT.data[i] = activation.value(pre[i], omega);
        }
        CommonOps_DDRM.transpose(outT, buffers.out);
    }

    @Override
    public void backward(Parameters params, DMatrixRMaj input, LayerBuffers buffers, DMatrixRMaj gradOut,
                         Parameters grads, boolean needInputGradient) {
        DMatrixRMaj gradPreT = buffers.gradPreT;
        CommonOps_DDRM.transpose(gradOut, gradPreT);
        double[] pre = buffers.preT.data;
        double[] out = buffers.outT.data;
        int n = input.numRows * width;
        for (int i = 0; i < n; i++) {
            gradPreT.data[i] *= activation.derivative(pre[i], out[i], omega);
        }
        Affine.backwardTransposed(input, params.get(first).data(), gradPreT, grads.get(first).data(),
                grads.get(first + 1).data(), needInputGradient ? buffers.gradIn : null);
    }
}

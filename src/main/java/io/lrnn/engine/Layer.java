package io.lrnn.engine;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * A differentiable layer bound to a range of tensors in the network's {@link Parameters}. Layers
 * hold no mutable state: values between forward and backward live in {@link LayerBuffers}.
 */
interface Layer {

    int inputSize();

    int outputSize();

    /** Names and shapes of the layer's tensors, in file order (nothing of their size is allocated). */
    List<TensorShape> shapes();

    /** The layer's tensors (zero-valued), in file order. */
    default List<Tensor> layout() {
        return shapes().stream().map(TensorShape::zeros).toList();
    }

    /** Fills the layer's tensors in {@code params} per LRNN.md section 3. */
    void initialize(Parameters params, SplittableRandom random);

    /** Computes {@code buffers.out} from {@code input} (rows x inputSize). */
    void forward(Parameters params, DMatrixRMaj input, LayerBuffers buffers);

    /**
     * Given dL/dY in {@code gradOut}, adds the parameter gradients to {@code grads} and, if
     * {@code needInputGradient}, writes dL/dU to {@code buffers.gradIn}. Uses what
     * {@link #forward} stored in {@code buffers} for the same {@code input}.
     */
    void backward(Parameters params, DMatrixRMaj input, LayerBuffers buffers, DMatrixRMaj gradOut,
                  Parameters grads, boolean needInputGradient);
}

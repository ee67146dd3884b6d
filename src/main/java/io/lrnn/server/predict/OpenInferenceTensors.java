package io.lrnn.server.predict;

import io.lrnn.engine.Model;
import java.util.ArrayList;
import java.util.List;

/**
 * The Open Inference Protocol's tensor rules for a transport that decodes its own request (gRPC),
 * so that it maps tensors to rows, and checks them, with the REST API's rules and messages.
 */
public final class OpenInferenceTensors {

    public static final String PREDICTIONS = OpenInferenceRequest.PREDICTIONS;
    public static final String PROBABILITIES = OpenInferenceRequest.PROBABILITIES;
    public static final String LABEL = OpenInferenceRequest.LABEL;

    private OpenInferenceTensors() {
    }

    /**
     * One decoded input tensor.
     *
     * @param values its {@code product(shape)} elements in row-major order, finite
     */
    public record Input(String name, long[] shape, double[] values) {
    }

    /**
     * The feature rows of these tensors for {@code model}: one tensor of shape [B, n] (any name),
     * or one tensor per feature named by it ([B] or [B, 1]); B from 1 to {@code maxBatch}.
     *
     * @throws InvalidInputException naming the tensor, expected versus found
     */
    public static double[][] rows(List<Input> inputs, Model model, int maxBatch) {
        List<OpenInferenceRequest.Tensor> tensors = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Input input = inputs.get(i);
            tensors.add(new OpenInferenceRequest.Tensor(i, input.name(), TensorDatatype.FP64, input.shape(),
                    input.values()));
        }
        return OpenInferenceRequest.rows(tensors, model.inputs(), maxBatch);
    }

    /** The outputs to answer, in the requested order (each named once); all of the model's when none is. */
    public static List<String> outputs(List<String> requested, Model model) {
        return OpenInferenceRequest.outputsFor(requested, model);
    }

    /** The model's output tensor names. */
    public static List<String> outputNames(Model model) {
        return OpenInferenceRequest.outputNames(model);
    }
}

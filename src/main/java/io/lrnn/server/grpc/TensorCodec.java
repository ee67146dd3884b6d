package io.lrnn.server.grpc;

import com.google.protobuf.ByteString;
import io.lrnn.engine.Model;
import io.lrnn.server.grpc.v2.InferParameter;
import io.lrnn.server.grpc.v2.InferTensorContents;
import io.lrnn.server.grpc.v2.ModelInferRequest;
import io.lrnn.server.grpc.v2.ModelInferResponse;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.predict.InvalidInputException;
import io.lrnn.server.predict.OpenInferenceTensors;
import io.lrnn.server.predict.Prediction;
import io.lrnn.server.predict.TensorDatatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ModelInfer's tensors to rows and back. Inputs come in {@code contents} (the field of their
 * datatype) or in {@code raw_input_contents} (little-endian, one entry per input), mapped to rows
 * by REST's rules; each tensor's shape is checked against the batch limit before anything is
 * allocated for it. Outputs go in {@code raw_output_contents} when the request asks for it with a
 * {@code binary_data} parameter (its own, or any requested output's), or when it sent raw inputs
 * and did not say {@code binary_data: false} (as Triton's clients expect); else in {@code contents}.
 * Raw outputs are little-endian FP64, and BYTES elements each a 4-byte little-endian length and
 * the UTF-8 bytes, as Triton encodes them.
 */
final class TensorCodec {

    static final String BINARY_DATA = "binary_data";

    private TensorCodec() {
    }

    static GrpcRequest decode(ModelInferRequest request, Model model, int maxBatch) {
        int count = request.getInputsCount();
        if (count == 0) {
            throw new InvalidInputException("inputs", "at least one input tensor", "none");
        }
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != count) {
            throw new InvalidInputException("raw_input_contents", "one entry per input (" + count + ")",
                    request.getRawInputContentsCount() + " entries");
        }
        long maxElements = Math.min((long) maxBatch * model.inputs().size(), Integer.MAX_VALUE - 8);
        List<OpenInferenceTensors.Input> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inputs.add(input(request, i, raw, maxBatch, maxElements));
        }
        return new GrpcRequest(request.getId(), OpenInferenceTensors.rows(inputs, model, maxBatch),
                OpenInferenceTensors.outputs(requestedOutputs(request), model), rawOutputs(request, raw));
    }

    private static OpenInferenceTensors.Input input(ModelInferRequest request, int i, boolean raw, int maxBatch,
                                                    long maxElements) {
        ModelInferRequest.InferInputTensor tensor = request.getInputs(i);
        String field = "inputs[" + i + "]";
        if (tensor.getName().isEmpty()) {
            throw new InvalidInputException(field + ".name", "a tensor name", "none");
        }
        TensorDatatype datatype = TensorDatatype.of(tensor.getDatatype(), field + ".datatype");
        long[] shape = new long[tensor.getShapeCount()];
        long elements = 1;
        for (int d = 0; d < shape.length; d++) {
            shape[d] = tensor.getShape(d);
            if (shape[d] < 0) {
                throw new InvalidInputException(field + ".shape[" + d + "]", "a non-negative integer", shape[d]);
            }
            elements = shape[d] == 0 || elements == 0 ? 0
                    : shape[d] > maxElements ? maxElements + 1 : Math.min(elements * shape[d], maxElements + 1);
        }
        if (shape.length > 0 && shape[0] > maxBatch) {
            throw new InvalidInputException(field + ".shape",
                    "a batch of at most " + maxBatch + " rows (lrnn.predict.max-batch)", shape[0] + " rows");
        }
        if (elements > maxElements) {
            throw new InvalidInputException(field + ".shape", "at most " + maxElements + " elements (lrnn.predict"
                    + ".max-batch rows of the model's inputs)", "more in " + Arrays.toString(shape));
        }
        if (raw && tensor.hasContents()) {
            throw new InvalidInputException(field + ".contents", "none (the request has raw_input_contents)",
                    "contents");
        }
        double[] values = raw
                ? Contents.read(datatype, request.getRawInputContents(i), (int) elements, shape,
                        "raw_input_contents[" + i + "]")
                : Contents.read(datatype, tensor.getContents(), (int) elements, shape, field);
        return new OpenInferenceTensors.Input(tensor.getName(), shape, values);
    }

    private static List<String> requestedOutputs(ModelInferRequest request) {
        List<String> names = new ArrayList<>(request.getOutputsCount());
        Set<String> seen = new HashSet<>();
        for (int o = 0; o < request.getOutputsCount(); o++) {
            String name = request.getOutputs(o).getName();
            if (!seen.add(name)) {
                throw new InvalidInputException("outputs[" + o + "].name", "each output once", name + " again");
            }
            names.add(name);
        }
        return names;
    }

    /** Any explicit {@code binary_data: true} asks for raw outputs; raw inputs do unless one says false. */
    private static boolean rawOutputs(ModelInferRequest request, boolean rawInputs) {
        Boolean asked = binaryData(request.getParametersMap(), "parameters");
        for (int o = 0; o < request.getOutputsCount(); o++) {
            Boolean output = binaryData(request.getOutputs(o).getParametersMap(), "outputs[" + o + "].parameters");
            asked = output == null ? asked : asked == null ? output : asked || output;
        }
        return asked != null ? asked : rawInputs;
    }

    private static Boolean binaryData(Map<String, InferParameter> parameters, String field) {
        InferParameter value = parameters.get(BINARY_DATA);
        if (value == null) {
            return null;
        }
        if (value.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.BOOL_PARAM) {
            throw new InvalidInputException(field + "." + BINARY_DATA, "a bool_param",
                    value.getParameterChoiceCase().name().toLowerCase());
        }
        return value.getBoolParam();
    }

    static ModelInferResponse encode(GrpcRequest request, Prediction prediction) {
        LoadedModel loaded = prediction.model();
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(loaded.name())
                .setModelVersion(loaded.version()).setId(request.id());
        double[][] rows = prediction.outputs();
        for (String name : request.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder tensor = response.addOutputsBuilder().setName(name);
            if (name.equals(OpenInferenceTensors.LABEL)) {
                tensor.setDatatype("BYTES").addShape(rows.length);
                labels(prediction, tensor, response, request.rawOutputs());
            } else {
                tensor.setDatatype("FP64").addShape(rows.length).addShape(rows[0].length);
                values(rows, tensor, response, request.rawOutputs());
            }
        }
        return response.build();
    }

    private static void values(double[][] rows, ModelInferResponse.InferOutputTensor.Builder tensor,
                               ModelInferResponse.Builder response, boolean raw) {
        if (raw) {
            ByteBuffer bytes = ByteBuffer.allocate(rows.length * rows[0].length * Double.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (double[] row : rows) {
                for (double v : row) {
                    bytes.putDouble(v);
                }
            }
            response.addRawOutputContents(ByteString.copyFrom(bytes.array()));
            return;
        }
        InferTensorContents.Builder contents = tensor.getContentsBuilder();
        for (double[] row : rows) {
            for (double v : row) {
                contents.addFp64Contents(v);
            }
        }
    }

    private static void labels(Prediction prediction, ModelInferResponse.InferOutputTensor.Builder tensor,
                               ModelInferResponse.Builder response, boolean raw) {
        int n = prediction.outputs().length;
        if (raw) {
            ByteString.Output bytes = ByteString.newOutput();
            for (int b = 0; b < n; b++) {
                byte[] label = prediction.label(b).getBytes(StandardCharsets.UTF_8);
                bytes.write(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(label.length)
                        .array(), 0, Integer.BYTES);
                bytes.write(label, 0, label.length);
            }
            response.addRawOutputContents(bytes.toByteString());
            return;
        }
        InferTensorContents.Builder contents = tensor.getContentsBuilder();
        for (int b = 0; b < n; b++) {
            contents.addBytesContents(ByteString.copyFromUtf8(prediction.label(b)));
        }
    }
}

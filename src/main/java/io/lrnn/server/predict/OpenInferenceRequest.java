package io.lrnn.server.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import io.lrnn.engine.Model;
import io.lrnn.engine.Task;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * An Open Inference Protocol inference request, read from its JSON for one model and checked
 * element by element: {@code id} (echoed), {@code parameters} (accepted; only
 * {@code binary_data_output} is used), {@code inputs} (name, shape, datatype, data flat or nested,
 * row-major, or binary with the {@link BinaryTensorData binary tensor data extension}) mapped to
 * the model's feature rows, and the requested {@code outputs} (each as JSON or binary data). The
 * body is read as a tree bounded by the model's largest batch, so no body holds more than that in
 * memory. Every error names the field, expected versus found.
 *
 * @param id            the request's id, or null
 * @param rows          the feature rows, checked: 1 to max-batch rows of the model's width, finite
 * @param outputs       names of the outputs to answer, in order (all of the model's when none is requested)
 * @param binaryOutputs the outputs to answer as binary data (none unless asked for)
 */
record OpenInferenceRequest(String id, double[][] rows, List<String> outputs, Set<String> binaryOutputs)
        implements PredictRequest {

    static final String PREDICTIONS = "predictions";
    static final String PROBABILITIES = "probabilities";
    static final String LABEL = "label";
    /** JSON values a body may hold besides its rows' (id, names, shapes, parameters, outputs). */
    static final int OTHER_VALUES = 4096;

    /**
     * One input tensor.
     *
     * @param values its elements in row-major order ({@code product(shape)} of them)
     */
    record Tensor(int index, String name, TensorDatatype datatype, long[] shape, double[] values) {

        String field(String part) {
            return "inputs[" + index + "]." + part;
        }
    }

    /**
     * Where the data of the inputs that declare {@code parameters.binary_data_size} comes from.
     * {@link #expect} sees all the inputs before any is read; {@link #values} is called in their order.
     */
    interface BinaryInputs {

        /** A JSON-only request: binary data needs the extension's header. */
        BinaryInputs NONE = new BinaryInputs() {
            @Override
            public void expect(JsonNode inputs) {
            }

            @Override
            public double[] values(int index, TensorDatatype datatype, long[] shape, JsonNode size, JsonNode data) {
                throw new InvalidInputException("inputs[" + index + "].parameters." + BinaryTensorData.SIZE,
                        "tensor data in JSON, or the " + BinaryTensorData.HEADER + " header of the binary tensor "
                                + "data extension giving the length of the JSON before the binary data", size);
            }
        };

        /** Checks what the inputs declare, before any tensor is read. */
        void expect(JsonNode inputs);

        /**
         * The elements of input {@code index}, checked like JSON data (count, range, finiteness).
         *
         * @param size its {@code binary_data_size}
         * @param data its {@code data}, or null (binary data comes with none)
         */
        double[] values(int index, TensorDatatype datatype, long[] shape, JsonNode size, JsonNode data);
    }

    /**
     * Reads a request for {@code model} from the stream: at most {@code maxBatch} rows' worth of
     * JSON values (each row's values and its array) plus {@link #OTHER_VALUES} are read before a 400.
     */
    static OpenInferenceRequest read(JsonParser parser, Model model, int maxBatch) {
        return read(parser, model, maxBatch, BinaryInputs.NONE);
    }

    /** {@link #read(JsonParser, Model, int)}, with the inputs' binary data from {@code binary}. */
    static OpenInferenceRequest read(JsonParser parser, Model model, int maxBatch, BinaryInputs binary) {
        int n = model.inputs().size();
        long maxValues = (long) maxBatch * (n + 1) + OTHER_VALUES;
        JsonNode body = PredictJson.boundedTree(parser, maxValues, max -> new InvalidInputException("request body",
                "at most " + max + " JSON values (lrnn.predict.max-batch " + maxBatch + " rows of " + n
                        + " inputs, plus " + OTHER_VALUES + ")", "more"));
        return read(body, model, maxBatch, binary);
    }

    /** Reads and checks a request body, already a (bounded) tree, for {@code model}. */
    static OpenInferenceRequest read(JsonNode body, Model model, int maxBatch, BinaryInputs binary) {
        if (body == null || !body.isObject()) {
            throw new InvalidInputException("request body", "an inference request object", describe(body));
        }
        String id = null;
        JsonNode idNode = body.get("id");
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isString()) {
                throw new InvalidInputException("id", "a string", describe(idNode));
            }
            id = idNode.stringValue();
        }
        JsonNode parameters = body.get("parameters");
        checkParameters(parameters, "parameters");
        boolean allBinary = flag(parameters, BinaryTensorData.BINARY_OUTPUTS, "parameters", false);

        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidInputException("inputs", "an array of at least one input tensor", describe(inputs));
        }
        binary.expect(inputs);
        List<Tensor> tensors = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(tensor(inputs.get(i), i, binary));
        }
        Map<String, Boolean> requested = requestedOutputs(body.get("outputs"), allBinary);
        List<String> outputs = outputsFor(List.copyOf(requested.keySet()), model);
        Set<String> binaryOutputs = outputs.stream().filter(o -> requested.getOrDefault(o, allBinary))
                .collect(Collectors.toUnmodifiableSet());
        return new OpenInferenceRequest(id, rows(tensors, model.inputs(), maxBatch), outputs, binaryOutputs);
    }

    /** The boolean parameter {@code name} of {@code parameters}, or {@code otherwise} when it is absent. */
    private static boolean flag(JsonNode parameters, String name, String field, boolean otherwise) {
        JsonNode value = parameters == null || !parameters.isObject() ? null : parameters.get(name);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(field + "." + name, "true or false", describe(value));
        }
        return value.booleanValue();
    }

    /** The model's output tensor names. */
    static List<String> outputNames(Model model) {
        return model.task() == Task.CLASSIFICATION ? List.of(PROBABILITIES, LABEL) : List.of(PREDICTIONS);
    }

    /** The outputs to answer with, in the requested order; all of them when none is requested. */
    static List<String> outputsFor(List<String> requested, Model model) {
        List<String> available = outputNames(model);
        if (requested.isEmpty()) {
            return available;
        }
        for (int o = 0; o < requested.size(); o++) {
            if (!available.contains(requested.get(o))) {
                throw new InvalidInputException("outputs[" + o + "].name", "one of " + available, requested.get(o));
            }
        }
        return requested;
    }

    /**
     * The feature rows these tensors hold for a model with {@code features}: either one tensor of
     * shape [B, n] (any name) or one tensor per feature, named by it, each of shape [B] or [B, 1].
     */
    static double[][] rows(List<Tensor> inputs, List<String> features, int maxBatch) {
        int n = features.size();
        Set<String> names = new LinkedHashSet<>();
        inputs.forEach(t -> names.add(t.name()));
        boolean allFeatures = features.containsAll(names);
        Tensor first = inputs.get(0);
        boolean oneMatrix = inputs.size() == 1 && first.shape().length == 2 && first.shape()[1] == n;
        if (allFeatures && !(oneMatrix && n > 1)) {
            return byFeature(inputs, features, maxBatch);
        }
        if (inputs.size() == 1) {
            return matrix(first, n, maxBatch);
        }
        throw new InvalidInputException("inputs", "one tensor of shape [B, " + n + "] or one tensor per feature "
                + features, inputs.size() + " tensors named " + names);
    }

    private static double[][] matrix(Tensor tensor, int n, int maxBatch) {
        long[] shape = tensor.shape();
        if (shape.length != 2 || shape[1] != n) {
            throw new InvalidInputException(tensor.field("shape"), "[B, " + n + "]", Arrays.toString(shape));
        }
        int batch = batch(tensor, shape[0], maxBatch);
        double[][] rows = new double[batch][];
        for (int b = 0; b < batch; b++) {
            rows[b] = Arrays.copyOfRange(tensor.values(), b * n, (b + 1) * n);
        }
        return rows;
    }

    private static double[][] byFeature(List<Tensor> inputs, List<String> features, int maxBatch) {
        Tensor[] byFeature = new Tensor[features.size()];
        for (Tensor tensor : inputs) {
            int k = features.indexOf(tensor.name());
            if (byFeature[k] != null) {
                throw new InvalidInputException(tensor.field("name"), "each feature once",
                        tensor.name() + " again (also inputs[" + byFeature[k].index() + "])");
            }
            byFeature[k] = tensor;
        }
        for (int k = 0; k < byFeature.length; k++) {
            if (byFeature[k] == null) {
                throw new InvalidInputException("inputs", "one tensor per feature " + features,
                        "none named " + features.get(k));
            }
        }
        Tensor first = byFeature[0];
        long rows = first.shape().length == 0 ? -1 : first.shape()[0];
        for (Tensor tensor : byFeature) {
            long[] shape = tensor.shape();
            boolean column = shape.length == 1 || (shape.length == 2 && shape[1] == 1);
            if (!column || shape[0] != rows) {
                String batchIs = tensor == first ? "" : " with B = " + rows + " (as " + first.field("shape") + ")";
                throw new InvalidInputException(tensor.field("shape"), "[B] or [B, 1]" + batchIs,
                        Arrays.toString(shape));
            }
        }
        int batch = batch(first, rows, maxBatch);
        double[][] out = new double[batch][byFeature.length];
        for (int k = 0; k < byFeature.length; k++) {
            double[] values = byFeature[k].values();
            for (int b = 0; b < batch; b++) {
                out[b][k] = values[b];
            }
        }
        return out;
    }

    private static int batch(Tensor tensor, long rows, int maxBatch) {
        if (rows == 0) {
            throw new InvalidInputException(tensor.field("shape"), "a batch of at least one row",
                    Arrays.toString(tensor.shape()) + " (an empty batch)");
        }
        if (rows > maxBatch) {
            throw new InvalidInputException(tensor.field("shape"),
                    "a batch of at most " + maxBatch + " rows (lrnn.predict.max-batch)", rows + " rows");
        }
        return (int) rows;
    }

    private static Tensor tensor(JsonNode input, int i, BinaryInputs binary) {
        String field = "inputs[" + i + "]";
        if (input == null || !input.isObject()) {
            throw new InvalidInputException(field, "an input tensor object", describe(input));
        }
        JsonNode name = input.get("name");
        if (name == null || !name.isString() || name.stringValue().isEmpty()) {
            throw new InvalidInputException(field + ".name", "a tensor name", describe(name));
        }
        JsonNode parameters = input.get("parameters");
        checkParameters(parameters, field + ".parameters");
        TensorDatatype datatype = TensorDatatype.of(input.get("datatype"), field + ".datatype");
        long[] shape = shape(input.get("shape"), field + ".shape");
        JsonNode size = binarySize(input);
        double[] values = size != null ? binary.values(i, datatype, shape, size, input.get("data"))
                : data(input.get("data"), shape, datatype, field + ".data");
        return new Tensor(i, name.stringValue(), datatype, shape, values);
    }

    /** The input's {@code parameters.binary_data_size}, or null when it has none (its data is JSON). */
    static JsonNode binarySize(JsonNode input) {
        JsonNode parameters = input.get("parameters");
        JsonNode size = parameters != null && parameters.isObject() ? parameters.get(BinaryTensorData.SIZE) : null;
        return size == null || size.isNull() ? null : size;
    }

    /** The number of elements of {@code shape}, saturated just past {@code Integer.MAX_VALUE} (no array holds it). */
    static long elements(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim == 0) {
                return 0;
            }
            count = Math.min(count * Math.min(dim, Integer.MAX_VALUE + 1L), Integer.MAX_VALUE + 1L);
        }
        return count;
    }

    private static long[] shape(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw new InvalidInputException(field, "an array of dimensions", describe(node));
        }
        long[] shape = new long[node.size()];
        for (int d = 0; d < shape.length; d++) {
            JsonNode dim = node.get(d);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw new InvalidInputException(field + "[" + d + "]", "a non-negative integer", describe(dim));
            }
            shape[d] = dim.longValue();
        }
        return shape;
    }

    /** The elements of {@code data}, flat or nested as {@code shape} says, in row-major order. */
    private static double[] data(JsonNode data, long[] shape, TensorDatatype datatype, String field) {
        if (data == null || !data.isArray()) {
            throw new InvalidInputException(field, "an array of numbers (flat or nested as the shape)",
                    describe(data));
        }
        long count = elements(shape);
        boolean nested = false;
        for (JsonNode element : data) {
            nested |= element.isArray();
        }
        double[] values;
        if (!nested || shape.length <= 1) {
            if (data.size() != count) {
                throw new InvalidInputException(field, count + " values (shape " + Arrays.toString(shape) + ")",
                        data.size() + " values");
            }
            values = new double[(int) count];
            for (int e = 0; e < values.length; e++) {
                int at = e;
                values[e] = datatype.read(data.get(e), () -> field + "[" + at + "]");
            }
        } else {
            checkNesting(data, shape, 0, field);
            values = new double[(int) count];
            readNested(data, shape, new int[shape.length], 0, datatype, field, values, 0);
        }
        return values;
    }

    /**
     * Checks that nested data follows {@code shape} from level {@code depth} down, before anything
     * is allocated for it (so the element count is bounded by what the body holds).
     */
    private static void checkNesting(JsonNode node, long[] shape, int depth, String field) {
        if (depth == shape.length) {
            return;
        }
        if (!node.isArray() || node.size() != shape[depth]) {
            throw new InvalidInputException(field, "an array of " + shape[depth] + " (nested data follows shape "
                    + Arrays.toString(shape) + ")", node.isArray() ? "an array of " + node.size() : describe(node));
        }
        for (int e = 0; e < node.size(); e++) {
            checkNesting(node.get(e), shape, depth + 1, field + "[" + e + "]");
        }
    }

    /**
     * Reads the leaves of checked nested data into {@code out} from {@code at}; returns the next
     * index. {@code path} holds the indices down to {@code depth}, for the field name of an error.
     */
    private static int readNested(JsonNode node, long[] shape, int[] path, int depth, TensorDatatype datatype,
                                  String field, double[] out, int at) {
        if (depth == shape.length) {
            out[at] = datatype.read(node, () -> {
                StringBuilder name = new StringBuilder(field);
                for (int index : path) {
                    name.append('[').append(index).append(']');
                }
                return name.toString();
            });
            return at + 1;
        }
        for (int e = 0; e < node.size(); e++) {
            path[depth] = e;
            at = readNested(node.get(e), shape, path, depth + 1, datatype, field, out, at);
        }
        return at;
    }

    /** The requested outputs in order, each with whether it is asked for as binary data. */
    private static Map<String, Boolean> requestedOutputs(JsonNode outputs, boolean allBinary) {
        if (outputs == null || outputs.isNull()) {
            return Map.of();
        }
        if (!outputs.isArray()) {
            throw new InvalidInputException("outputs", "an array of requested outputs", describe(outputs));
        }
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (int o = 0; o < outputs.size(); o++) {
            JsonNode output = outputs.get(o);
            String field = "outputs[" + o + "]";
            if (!output.isObject()) {
                throw new InvalidInputException(field, "a requested output object", describe(output));
            }
            JsonNode name = output.get("name");
            if (name == null || !name.isString()) {
                throw new InvalidInputException(field + ".name", "an output name", describe(name));
            }
            checkParameters(output.get("parameters"), field + ".parameters");
            boolean binary = flag(output.get("parameters"), BinaryTensorData.BINARY_OUTPUT, field + ".parameters",
                    allBinary);
            if (names.putIfAbsent(name.stringValue(), binary) != null) {
                throw new InvalidInputException(field + ".name", "each output once", name.stringValue() + " again");
            }
        }
        return names;
    }

    /** Parameters must be an object when present; those of no use here are ignored. */
    private static void checkParameters(JsonNode parameters, String field) {
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new InvalidInputException(field, "an object of parameters", describe(parameters));
        }
    }

    /** A short description of what was found where a value was expected. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "none";
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty array" : "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isString()) {
            return "string \"" + PredictJson.shorten(node.stringValue()) + "\"";
        }
        String type = node.getNodeType().toString().toLowerCase();
        return node.isNull() ? type : type + " " + node;
    }
}

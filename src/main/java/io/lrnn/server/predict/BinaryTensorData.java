package io.lrnn.server.predict;

import io.lrnn.engine.Model;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;

/**
 * Triton's binary tensor data extension on REST. A request with the {@value #HEADER} header is
 * that many bytes of JSON inference request followed by the raw data of each input that declares
 * {@code parameters.}{@value #SIZE}, concatenated in the order of the inputs, little-endian and
 * row-major in the datatype's native size. Everything a request declares is checked before its
 * bytes are read or its arrays allocated: the header length against {@value #MAX_HEADER_BYTES} and
 * the body's Content-Length, the sizes' sum against the rest of the body, each size against its
 * shape, each shape against {@code lrnn.predict.max-batch}. Outputs asked for as binary are
 * encoded here too: FP64 as 8 bytes each, BYTES as a 4-byte length and the UTF-8 bytes.
 */
final class BinaryTensorData {

    /** What {@code GET /v2} lists among its extensions. */
    static final String EXTENSION = "binary_tensor_data";
    /** The HTTP header giving the length of the JSON part of a body, in requests and responses. */
    static final String HEADER = "Inference-Header-Content-Length";
    /** An input's or a response output's parameter: the size of its binary data in bytes. */
    static final String SIZE = "binary_data_size";
    /** A requested output's parameter: true for binary data. */
    static final String BINARY_OUTPUT = "binary_data";
    /** The request's parameter: true for every output as binary data unless one says otherwise. */
    static final String BINARY_OUTPUTS = "binary_data_output";
    /** The longest JSON header: it holds the tensors' names and shapes, the data comes after it. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Most elements of one binary tensor, so its bytes fit in an array whatever the datatype. */
    private static final long MAX_ELEMENTS = (Integer.MAX_VALUE - 8) / Double.BYTES;

    private BinaryTensorData() {
    }

    /**
     * Reads a request whose body starts with {@code headerValue} bytes of JSON, for {@code model}.
     *
     * @param declaredLength the body's Content-Length, or -1 when it is sent chunked
     */
    static OpenInferenceRequest read(InputStream body, String headerValue, long declaredLength, Model model,
                                     int maxBatch) {
        int length = headerLength(headerValue, declaredLength);
        byte[] header = readFully(body, length);
        if (header.length < length) {
            throw new InvalidInputException(HEADER, length + " bytes of JSON at the start of the body",
                    "a body of " + header.length + " bytes");
        }
        Inputs inputs = new Inputs(body, length, declaredLength < 0 ? -1 : declaredLength - length,
                model.inputs().size(), maxBatch);
        OpenInferenceRequest request;
        try (JsonParser parser = PredictJson.parser(new ByteArrayInputStream(header))) {
            request = OpenInferenceRequest.read(parser, model, maxBatch, inputs);
        }
        inputs.finish();
        return request;
    }

    /**
     * The header's value as a length: a whole number of bytes, at most {@value #MAX_HEADER_BYTES}
     * and at most the body's declared length.
     */
    static int headerLength(String value, long declaredLength) {
        String text = value.strip();
        long max = declaredLength < 0 ? MAX_HEADER_BYTES : Math.min(MAX_HEADER_BYTES, declaredLength);
        String expected = "a number of bytes from 0 to " + max + (max == declaredLength
                ? " (the body's Content-Length)" : " (the longest JSON header)");
        if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException(HEADER, expected, "\"" + PredictJson.shorten(value) + "\"");
        }
        long length = Long.parseLong(text);
        if (length > max) {
            throw new InvalidInputException(HEADER, expected, length);
        }
        return (int) length;
    }

    /**
     * The binary data of the inputs that declare {@value #SIZE}, read from the body in their order.
     * {@link OpenInferenceRequest} calls {@link #expect} once and then {@link #values} per such input.
     */
    static final class Inputs implements OpenInferenceRequest.BinaryInputs {

        private final InputStream body;
        private final int headerLength;
        private final long remaining;
        private final int width;
        private final int maxBatch;
        private long declared;

        /**
         * @param remaining the body's bytes after the header, or -1 when that is not known (chunked)
         * @param width     the model's number of inputs
         */
        Inputs(InputStream body, int headerLength, long remaining, int width, int maxBatch) {
            this.body = body;
            this.headerLength = headerLength;
            this.remaining = remaining;
            this.width = width;
            this.maxBatch = maxBatch;
        }

        /** Checks every input's size and that together they are the rest of the body, before any is read. */
        @Override
        public void expect(JsonNode inputs) {
            long sum = 0;
            for (int i = 0; i < inputs.size(); i++) {
                JsonNode size = OpenInferenceRequest.binarySize(inputs.get(i));
                if (size != null) {
                    long bytes = Math.min(Long.MAX_VALUE / 2, size(size, "inputs[" + i + "]"));
                    sum = Math.min(Long.MAX_VALUE / 2, sum + bytes);
                }
            }
            if (remaining >= 0 && sum != remaining) {
                throw new InvalidInputException("request body", sum + " bytes after the " + headerLength
                        + "-byte JSON header (the inputs' " + SIZE + " summed)", remaining + " bytes");
            }
            declared = sum;
        }

        @Override
        public double[] values(int index, TensorDatatype datatype, long[] shape, JsonNode size, JsonNode data) {
            String field = "inputs[" + index + "]";
            if (data != null) {
                throw new InvalidInputException(field + ".data", "no data (" + SIZE + " says the data is binary)",
                        OpenInferenceRequest.describe(data));
            }
            long bytes = size(size, field);
            if (shape.length > 0 && shape[0] > maxBatch) {
                throw new InvalidInputException(field + ".shape",
                        "a batch of at most " + maxBatch + " rows (lrnn.predict.max-batch)", shape[0] + " rows");
            }
            long count = OpenInferenceRequest.elements(shape);
            long most = Math.min((long) maxBatch * Math.max(1, width), MAX_ELEMENTS);
            if (count > most) {
                throw new InvalidInputException(field + ".shape", "at most " + most
                        + " elements (lrnn.predict.max-batch " + maxBatch + " rows of " + width + " inputs)",
                        Arrays.toString(shape));
            }
            long expected = count * datatype.bytes();
            if (bytes != expected) {
                throw new InvalidInputException(field + ".parameters." + SIZE, expected + " bytes (shape "
                        + Arrays.toString(shape) + " of " + datatype + ", " + datatype.bytes() + " bytes each)", bytes);
            }
            byte[] raw = readFully(body, (int) bytes);
            if (raw.length < bytes) {
                throw new InvalidInputException("request body", bytes + " bytes of binary data for " + field,
                        raw.length + " before the body ended");
            }
            ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            double[] values = new double[(int) count];
            for (int e = 0; e < values.length; e++) {
                int at = e;
                values[e] = datatype.read(buffer, e, () -> field + ".binary_data[" + at + "]");
            }
            return values;
        }

        /** Checks that the body ends where the declared binary data does (a chunked body may not). */
        void finish() {
            try {
                if (body.read() >= 0) {
                    throw new InvalidInputException("request body", "its end after " + declared
                            + " bytes of binary data (the inputs' " + SIZE + " summed)", "more bytes");
                }
            } catch (IOException e) {
                throw broken(e);
            }
        }

        private static long size(JsonNode size, String field) {
            if (!size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
                throw new InvalidInputException(field + ".parameters." + SIZE, "a whole number of bytes",
                        OpenInferenceRequest.describe(size));
            }
            return size.longValue();
        }
    }

    /** FP64 values as binary data. */
    static byte[] encode(double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asDoubleBuffer().put(values);
        return buffer.array();
    }

    /** BYTES elements as binary data: each a 4-byte little-endian length and its UTF-8 bytes. */
    static byte[] encode(String[] texts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String text : texts) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length)
                    .array());
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** Up to {@code length} bytes: fewer only where the body ends first. */
    private static byte[] readFully(InputStream body, int length) {
        try {
            return body.readNBytes(length);
        } catch (IOException e) {
            throw broken(e);
        }
    }

    private static InvalidInputException broken(IOException e) {
        return new InvalidInputException("request body", "a body that can be read to its end",
                "a broken stream (" + e + ")");
    }
}

package io.lrnn.server.predict;

import static io.lrnn.server.predict.OpenInferenceControllerTest.longs;
import static io.lrnn.server.predict.OpenInferenceModels.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The binary tensor data extension over real HTTP: the extension's published example byte for
 * byte, FP32, FP64 and integer inputs as raw bytes, outputs as raw bytes equal to the JSON answers,
 * inputs mixing JSON and binary data, and every malformed layout a 400 naming what is wrong.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BinaryTensorDataEndToEndTest {

    private static final double TOLERANCE = 1e-12;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HEADER = "Inference-Header-Content-Length";

    static final Model REGRESSION = OpenInferenceModels.regression(21);
    static final Model IRIS = OpenInferenceModels.iris(22);

    /**
     * The request of the extension's document (docs/protocol/extension_binary_data.md of Triton's
     * server repository), as published: a UINT32 [2, 2] input of 16 bytes, a BOOL [3] input of 3
     * bytes, and output0 asked for as binary data.
     */
    static final String PUBLISHED_EXAMPLE = """
            {
              "model_name" : "mymodel",
              "inputs" : [
                {
                  "name" : "input0",
                  "shape" : [ 2, 2 ],
                  "datatype" : "UINT32",
                  "parameters" : {
                    "binary_data_size" : 16
                  }
                },
                {
                  "name" : "input1",
                  "shape" : [ 3 ],
                  "datatype" : "BOOL",
                  "parameters" : {
                    "binary_data_size" : 3
                  }
                }
              ],
              "outputs" : [
                {
                  "name" : "output0",
                  "parameters" : {
                    "binary_data" : true
                  }
                }
              ]
            }
            """;

    /** The published example for a model of two features: its input0 only, its output named as ours. */
    static final String EXAMPLE_FOR_REG = withoutInput1(PUBLISHED_EXAMPLE).replace("mymodel", "reg")
            .replace("output0", "predictions");

    private static String withoutInput1(String example) {
        int from = example.indexOf(",\n    {\n      \"name\" : \"input1\"");
        int to = example.indexOf("\n  ],\n  \"outputs\"");
        return example.substring(0, from) + example.substring(to);
    }

    static final double[][] ROWS = {{0.25, -1.5}, {3.0, 0.125}, {-2.0, 7.5}};

    @TempDir
    static Path modelDirectory;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        try {
            ModelFiles.write(REGRESSION, modelDirectory.resolve("reg").resolve("1"));
            ModelFiles.write(IRIS, modelDirectory.resolve("iris").resolve("1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("lrnn.models.directory", modelDirectory::toString);
        registry.add("lrnn.predict.max-batch", () -> "100");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer split as the extension says: the JSON header, then the binary data. */
    record Answer(int status, String contentType, String headerLength, JsonNode json, byte[] binary) {
    }

    @Test
    void theServerListsTheExtension() {
        JsonNode server = JSON.readTree(send(HttpRequest.newBuilder(uri("/v2")).GET().build()).body());
        assertThat(OpenInferenceControllerTest.strings(server.get("extensions"))).contains("binary_tensor_data");
    }

    @Test
    void thePublishedExampleByteForByteIsRefusedForItsBoolInputOnly() {
        byte[] header = PUBLISHED_EXAMPLE.getBytes(StandardCharsets.UTF_8);
        byte[] input0 = uint32(1, 2, 3, 4);
        byte[] input1 = {1, 0, 1};
        byte[] body = concat(header, input0, input1);
        assertThat(body.length).isEqualTo(header.length + 19);

        Answer answer = post("/v2/models/reg/infer", body, header.length, false);

        assertError(answer, "inputs[1].datatype: expected one of " + TensorDatatype.SUPPORTED
                + " but found BOOL (not supported: the model's inputs are real numbers)");
    }

    @Test
    void thePublishedExampleForThisModelIsAnsweredAsThePublishedResponse() {
        assertThat(EXAMPLE_FOR_REG).doesNotContain("input1", "BOOL").contains("\"binary_data_size\" : 16");
        byte[] header = EXAMPLE_FOR_REG.getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(header, uint32(1, 2, 3, 4));
        assertThat(body.length).isEqualTo(header.length + 16);

        Answer answer = post("/v2/models/reg/infer", body, header.length, false);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/octet-stream");
        JsonNode output = answer.json().get("outputs").get(0);
        assertThat(answer.json().get("outputs").size()).isEqualTo(1);
        assertThat(output.get("name").stringValue()).isEqualTo("predictions");
        assertThat(output.get("datatype").stringValue()).isEqualTo("FP64");
        assertThat(longs(output.get("shape"))).containsExactly(2, 2);
        assertThat(output.get("parameters").get("binary_data_size").intValue()).isEqualTo(32);
        assertThat(output.has("data")).isFalse();
        assertThat(answer.binary()).hasSize(32);
        assertClose(fp64(answer.binary()), predict(REGRESSION, new double[][] {{1, 2}, {3, 4}}));
    }

    @Test
    void fp32AndFp64BinaryInputsAnswerAsTheirJsonRequestsDo() {
        for (String datatype : List.of("FP32", "FP64")) {
            byte[] data = datatype.equals("FP32") ? fp32(ROWS) : fp64(ROWS);
            String header = "{\"id\": \"b-1\", \"parameters\": {\"binary_data_output\": true}, \"inputs\": [{\"name\": "
                    + "\"input-0\", \"shape\": [3, 2], \"datatype\": \"" + datatype
                    + "\", \"parameters\": {\"binary_data_size\": " + data.length + "}}]}";
            Answer binary = post("/v2/models/reg/infer", header, data);
            Answer json = postJson("/v2/models/reg/infer", "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [3, 2], "
                    + "\"datatype\": \"" + datatype + "\", \"data\": " + Arrays.deepToString(ROWS) + "}]}");

            assertThat(binary.status()).as(datatype).isEqualTo(200);
            assertThat(binary.json().get("id").stringValue()).isEqualTo("b-1");
            assertThat(binary.json().get("model_name").stringValue()).isEqualTo("reg");
            double[] fromJson = doubles(json.json().get("outputs").get(0).get("data"));
            assertThat(fp64(binary.binary())).as(datatype).containsExactly(fromJson);
            double[][] sent = datatype.equals("FP32") ? OpenInferenceModels.asFloat(ROWS) : ROWS;
            assertClose(fromJson, predict(REGRESSION, sent));
        }
    }

    @Test
    void integerBinaryInputsAndOneRowTakeTheSingleRowPath() {
        byte[] int64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).putLong(5).array();
        Answer binary = post("/v2/models/reg/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": "
                + "\"INT64\", \"parameters\": {\"binary_data_size\": 16}}], \"outputs\": [{\"name\": \"predictions\", "
                + "\"parameters\": {\"binary_data\": true}}]}", int64);
        byte[] int32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(5).array();
        Answer binary32 = post("/v2/models/reg/infer", "{\"parameters\": {\"binary_data_output\": true}, \"inputs\": "
                + "[{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"INT32\", \"parameters\": "
                + "{\"binary_data_size\": 8}}]}", int32);

        double[] expected = new double[2];
        REGRESSION.predictRow(new double[] {-3, 5}, expected);
        assertThat(fp64(binary.binary())).containsExactly(expected);
        assertThat(fp64(binary32.binary())).containsExactly(expected);
    }

    @Test
    void inputsMayMixJsonAndBinaryDataAndEachOutputChoosesItsForm() {
        byte[] width = fp32(new double[][] {{3.5, 3.0}});
        byte[] length = fp64(new double[][] {{1.4, 5.2}});
        String header = "{\"inputs\": ["
                + "{\"name\": \"sepal_length\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [5.1, 6.7]}, "
                + "{\"name\": \"sepal_width\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\": "
                + "{\"binary_data_size\": 8}}, "
                + "{\"name\": \"petal_length\", \"shape\": [2, 1], \"datatype\": \"FP64\", \"parameters\": "
                + "{\"binary_data_size\": 16}}, "
                + "{\"name\": \"petal_width\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [0.2, 2.3]}], "
                + "\"outputs\": [{\"name\": \"label\"}, {\"name\": \"probabilities\", \"parameters\": "
                + "{\"binary_data\": true}}]}";

        Answer answer = post("/v2/models/iris/infer", header, width, length);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode outputs = answer.json().get("outputs");
        assertThat(outputs.get(0).get("name").stringValue()).isEqualTo("label");
        assertThat(outputs.get(0).has("parameters")).isFalse();
        assertThat(outputs.get(1).get("parameters").get("binary_data_size").intValue()).isEqualTo(48);
        double[][] sent = {{5.1, (float) 3.5, 1.4, 0.2}, {6.7, (float) 3.0, 5.2, 2.3}};
        double[] probabilities = predict(IRIS, sent);
        assertClose(fp64(answer.binary()), probabilities);
        assertThat(OpenInferenceControllerTest.strings(outputs.get(0).get("data")))
                .isEqualTo(OpenInferenceModels.argmaxLabels(IRIS, probabilities));
    }

    @Test
    void labelsAsBinaryDataAreLengthPrefixedUtf8() {
        String header = "{\"parameters\": {\"binary_data_output\": true}, \"inputs\": [{\"name\": \"x\", \"shape\": "
                + "[2, 4], \"datatype\": \"FP64\", \"data\": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}], "
                + "\"outputs\": [{\"name\": \"probabilities\", \"parameters\": {\"binary_data\": false}}, "
                + "{\"name\": \"label\"}]}";

        Answer answer = postJson("/v2/models/iris/infer", header);

        assertThat(answer.contentType()).isEqualTo("application/octet-stream");
        JsonNode outputs = answer.json().get("outputs");
        double[] probabilities = doubles(outputs.get(0).get("data"));
        List<String> expected = OpenInferenceModels.argmaxLabels(IRIS, probabilities);
        assertThat(outputs.get(1).get("datatype").stringValue()).isEqualTo("BYTES");
        ByteBuffer labels = ByteBuffer.wrap(answer.binary()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(outputs.get(1).get("parameters").get("binary_data_size").intValue()).isEqualTo(labels.remaining());
        List<String> decoded = new ArrayList<>();
        while (labels.hasRemaining()) {
            byte[] text = new byte[labels.getInt()];
            labels.get(text);
            decoded.add(new String(text, StandardCharsets.UTF_8));
        }
        assertThat(decoded).isEqualTo(expected);
    }

    static String input(String datatype, String shape, long size) {
        return "{\"inputs\": [{\"name\": \"x\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"parameters\": {\"binary_data_size\": " + size + "}}]}";
    }

    static Stream<Arguments> badLayouts() {
        byte[] four = fp32(new double[][] {{1, 2}, {3, 4}});
        byte[] nan = fp32(new double[][] {{1, Float.NaN}});
        byte[] infinite = fp64(new double[][] {{Double.NEGATIVE_INFINITY, 1}});
        String ok = input("FP32", "[2, 2]", 16);
        return Stream.of(
                Arguments.of("size not the shape's", input("FP32", "[2, 2]", 12), List.of(Arrays.copyOf(four, 12)),
                        null, "inputs[0].parameters.binary_data_size: expected 16 bytes (shape [2, 2] of FP32, 4 bytes "
                                + "each) but found 12"),
                Arguments.of("FP64 size of FP32 data", input("FP64", "[2, 2]", 16), List.of(four), null,
                        "inputs[0].parameters.binary_data_size: expected 32 bytes (shape [2, 2] of FP64, 8 bytes each) "
                                + "but found 16"),
                Arguments.of("header length past the body", ok, List.of(four), "10000",
                        "Inference-Header-Content-Length: expected a number of bytes from 0 to BODY (the body's "
                                + "Content-Length) but found 10000"),
                Arguments.of("negative header length", ok, List.of(four), "-1",
                        "Inference-Header-Content-Length: expected a number of bytes from 0 to BODY (the body's "
                                + "Content-Length) but found \"-1\""),
                Arguments.of("absurd header length", ok, List.of(four), "99999999999999999999999",
                        "Inference-Header-Content-Length: expected a number of bytes from 0 to BODY (the body's "
                                + "Content-Length) but found \"99999999999999999999999\""),
                Arguments.of("header length not a number", ok, List.of(four), "12a",
                        "Inference-Header-Content-Length: expected a number of bytes from 0 to BODY (the body's "
                                + "Content-Length) but found \"12a\""),
                Arguments.of("missing bytes", ok, List.of(Arrays.copyOf(four, 10)), null,
                        "request body: expected 16 bytes after the HEADER-byte JSON header (the inputs' "
                                + "binary_data_size summed) but found 10 bytes"),
                Arguments.of("trailing bytes", ok, List.of(four, new byte[3]), null,
                        "request body: expected 16 bytes after the HEADER-byte JSON header (the inputs' "
                                + "binary_data_size summed) but found 19 bytes"),
                Arguments.of("header cut inside the JSON", ok, List.of(four), "HEADER-5",
                        "request body: expected well-formed JSON but found Unexpected end-of-input: expected close "
                                + "marker for Object"),
                Arguments.of("NaN in FP32 data", input("FP32", "[1, 2]", 8), List.of(nan), null,
                        "inputs[0].binary_data[1]: expected a finite FP32 number but found NaN"),
                Arguments.of("infinity in FP64 data", input("FP64", "[1, 2]", 16), List.of(infinite), null,
                        "inputs[0].binary_data[0]: expected a finite FP64 number but found -Infinity"),
                Arguments.of("negative size", input("FP32", "[2, 2]", -16), List.of(), null,
                        "inputs[0].parameters.binary_data_size: expected a whole number of bytes but found number -16"),
                Arguments.of("data as well as a size", "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2], "
                                + "\"datatype\": \"FP32\", \"data\": [1, 2, 3, 4], "
                                + "\"parameters\": {\"binary_data_size\": 16}}]}",
                        List.of(four), null, "inputs[0].data: expected no data (binary_data_size says the data is "
                                + "binary) but found an array"),
                Arguments.of("BYTES input", input("BYTES", "[2, 2]", 16), List.of(four), null,
                        "inputs[0].datatype: expected one of " + TensorDatatype.SUPPORTED + " but found BYTES (not "
                                + "supported: the model's inputs are real numbers)"),
                Arguments.of("more rows than max-batch", input("FP32", "[101, 2]", 808), List.of(new byte[808]), null,
                        "inputs[0].shape: expected a batch of at most 100 rows (lrnn.predict.max-batch) but found "
                                + "101 rows"),
                Arguments.of("more elements than max-batch rows hold", input("FP32", "[2, 101]", 808),
                        List.of(new byte[808]), null, "inputs[0].shape: expected at most 200 elements "
                                + "(lrnn.predict.max-batch 100 rows of 2 inputs) but found [2, 101]"),
                Arguments.of("binary_data not a boolean", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], "
                                + "\"datatype\": \"FP64\", \"data\": [1, 2]}], \"outputs\": [{\"name\": "
                                + "\"predictions\", \"parameters\": {\"binary_data\": \"yes\"}}]}", List.of(), null,
                        "outputs[0].parameters.binary_data: expected true or false but found string \"yes\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLayouts")
    void aBadLayoutIs400NamingTheFieldBeforeAnythingIsPredicted(String description, String header, List<byte[]> data,
                                                                String headerLength, String error) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = concat(json, data.toArray(byte[][]::new));
        String length = headerLength == null ? String.valueOf(json.length)
                : headerLength.replace("HEADER-5", String.valueOf(json.length - 5));
        Answer answer = send("/v2/models/reg/infer", body, length, false);
        assertError(answer, error.replace("BODY", String.valueOf(body.length))
                .replace("HEADER", String.valueOf(json.length)));
    }

    @Test
    void aChunkedBodyIsCheckedForMissingAndTrailingBytesAsItIsRead() {
        String header = input("FP32", "[2, 2]", 16);
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] four = fp32(new double[][] {{1, 2}, {3, 4}});

        Answer ok = send("/v2/models/reg/infer", concat(json, four), String.valueOf(json.length), true);
        Answer missing = send("/v2/models/reg/infer", concat(json, Arrays.copyOf(four, 9)), String.valueOf(json.length),
                true);
        Answer trailing = send("/v2/models/reg/infer", concat(json, four, new byte[1]), String.valueOf(json.length),
                true);
        Answer pastTheCap = send("/v2/models/reg/infer", concat(json, four), String.valueOf((1 << 20) + 1), true);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(doubles(ok.json().get("outputs").get(0).get("data")))
                .containsExactly(predict(REGRESSION, new double[][] {{1, 2}, {3, 4}}));
        assertError(missing, "request body: expected 16 bytes of binary data for inputs[0] but found 9 before the "
                + "body ended");
        assertError(trailing, "request body: expected its end after 16 bytes of binary data (the inputs' "
                + "binary_data_size summed) but found more bytes");
        assertError(pastTheCap, "Inference-Header-Content-Length: expected a number of bytes from 0 to 1048576 (the "
                + "longest JSON header) but found 1048577");
    }

    @Test
    void binaryDataWithoutTheHeaderIsRefused() {
        Answer answer = postJson("/v2/models/reg/infer", input("FP32", "[2, 2]", 16));
        assertError(answer, "inputs[0].parameters.binary_data_size: expected tensor data in JSON, or the "
                + "Inference-Header-Content-Length header of the binary tensor data extension giving the length of the "
                + "JSON before the binary data but found 16");
    }

    // ---- helpers ----

    private Answer post(String path, String header, byte[]... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return send(path, concat(json, data), String.valueOf(json.length), false);
    }

    private Answer post(String path, byte[] body, int headerLength, boolean chunked) {
        return send(path, body, String.valueOf(headerLength), chunked);
    }

    private Answer postJson(String path, String json) {
        return send(path, json.getBytes(StandardCharsets.UTF_8), null, false);
    }

    private Answer send(String path, byte[] body, String headerLength, boolean chunked) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", headerLength == null ? "application/json" : "application/octet-stream")
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headerLength != null) {
            request.header(HEADER, headerLength);
        }
        HttpResponse<byte[]> response = send(request.build());
        byte[] bytes = response.body();
        String length = response.headers().firstValue(HEADER).orElse(null);
        int split = length == null ? bytes.length : Integer.parseInt(length);
        assertThat(split).isBetween(0, bytes.length);
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), length,
                JSON.readTree(new String(bytes, 0, split, StandardCharsets.UTF_8)),
                Arrays.copyOfRange(bytes, split, bytes.length));
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static void assertError(Answer answer, String error) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headerLength()).isNull();
        assertThat(answer.json().propertyNames()).containsExactly("error");
        assertThat(answer.json().get("error").stringValue()).isEqualTo(error);
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("element %d", e).isCloseTo(expected[e], within(TOLERANCE));
        }
    }

    static byte[] concat(byte[] first, byte[]... rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(first);
        for (byte[] part : rest) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] uint32(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }

    static byte[] fp32(double[][] rows) {
        ByteBuffer buffer = ByteBuffer.allocate(rows.length * rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                buffer.putFloat((float) v);
            }
        }
        return buffer.array();
    }

    static byte[] fp64(double[][] rows) {
        ByteBuffer buffer = ByteBuffer.allocate(rows.length * rows[0].length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] row : rows) {
            for (double v : row) {
                buffer.putDouble(v);
            }
        }
        return buffer.array();
    }

    static double[] fp64(byte[] bytes) {
        double[] values = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int e = 0; e < values.length; e++) {
            values[e] = array.get(e).doubleValue();
        }
        return values;
    }
}

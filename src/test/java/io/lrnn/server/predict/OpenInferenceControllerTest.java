package io.lrnn.server.predict;

import static io.lrnn.server.predict.OpenInferenceModels.argmaxLabels;
import static io.lrnn.server.predict.OpenInferenceModels.asFloat;
import static io.lrnn.server.predict.OpenInferenceModels.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import io.lrnn.engine.Model;
import io.lrnn.server.config.LrnnProperties;
import io.lrnn.server.models.LoadedModel;
import io.lrnn.server.models.ModelEntry;
import io.lrnn.server.models.ModelNotFoundException;
import io.lrnn.server.models.ModelRegistry;
import io.lrnn.server.models.ModelService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every V2 endpoint over MockMvc, with the real {@link PredictionService} and {@code ErrorMapper}
 * and a mocked registry holding small seeded models; numbers are checked against the engine.
 */
@WebMvcTest(OpenInferenceController.class)
@Import({PredictionService.class, PredictBudget.class, OpenInferenceControllerTest.Beans.class})
class OpenInferenceControllerTest {

    private static final double TOLERANCE = 1e-12;
    private static final int MAX_BATCH = 5;

    private static final Model REGRESSION_V1 = OpenInferenceModels.regression(1);
    private static final Model REGRESSION_V2 = OpenInferenceModels.regression(2);
    private static final Model IRIS = OpenInferenceModels.iris(3);

    /**
     * The KServe documentation's sklearn Open Inference Protocol example ({@code iris-input-v2.json}),
     * verbatim: FP32, nested data, shape [2, 4].
     */
    static final String KSERVE_IRIS_EXAMPLE = """
            {
              "inputs": [
                {
                  "name": "input-0",
                  "shape": [2, 4],
                  "datatype": "FP32",
                  "data": [
                    [6.8, 2.8, 4.8, 1.4],
                    [6.0, 3.4, 4.5, 1.6]
                  ]
                }
              ]
            }
            """;

    /** The protocol specification's inference request example, verbatim (two inputs, one of them BOOL). */
    static final String SPEC_EXAMPLE = """
            {
              "id" : "42",
              "inputs" : [
                {
                  "name" : "input0",
                  "shape" : [ 2, 2 ],
                  "datatype" : "UINT32",
                  "data" : [ 1, 2, 3, 4 ]
                },
                {
                  "name" : "input1",
                  "shape" : [ 3 ],
                  "datatype" : "BOOL",
                  "data" : [ true ]
                }
              ],
              "outputs" : [
                {
                  "name" : "output0"
                }
              ]
            }
            """;

    /** The specification's example adapted to a two-feature model: its one numeric input, its id, our output. */
    static final String SPEC_EXAMPLE_ADAPTED = """
            {
              "id" : "42",
              "inputs" : [
                {
                  "name" : "input0",
                  "shape" : [ 2, 2 ],
                  "datatype" : "UINT32",
                  "data" : [ 1, 2, 3, 4 ]
                }
              ],
              "outputs" : [
                {
                  "name" : "predictions"
                }
              ]
            }
            """;

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        LrnnProperties lrnnProperties() {
            return io.lrnn.server.TestProperties.of(Path.of("models"), MAX_BATCH, DataSize.ofMegabytes(8));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        BuildProperties buildProperties() {
            Properties build = new Properties();
            build.setProperty("version", "1.2.3");
            return new BuildProperties(build);
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    MeterRegistry meters;

    @MockitoBean
    ModelRegistry registry;

    @MockitoBean
    ModelService models;

    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void registry() {
        Map<String, ModelEntry> entries = Map.of(
                "reg", entry("reg", Map.of("1", REGRESSION_V1, "2", REGRESSION_V2)),
                "iris", entry("iris", Map.of("1", IRIS)));
        when(registry.entry(anyString())).thenAnswer(call -> {
            ModelEntry entry = entries.get(call.<String>getArgument(0));
            if (entry == null) {
                throw new ModelNotFoundException("no model named " + call.getArgument(0));
            }
            return entry;
        });
        when(registry.resolve(anyString(), any(), any())).thenAnswer(call -> registry.resolve(call.getArgument(0),
                call.<String>getArgument(1)));
        when(registry.resolve(anyString(), any())).thenAnswer(call -> {
            ModelEntry entry = registry.entry(call.getArgument(0));
            String version = call.getArgument(1) != null ? call.getArgument(1) : entry.defaultVersion();
            LoadedModel model = entry.versions().get(version);
            if (model == null) {
                throw new ModelNotFoundException("model " + entry.name() + " has no version " + version
                        + " (versions: " + String.join(", ", entry.versions().keySet()) + ")");
            }
            return model;
        });
        when(models.isLoaded()).thenReturn(true);
    }

    private static ModelEntry entry(String name, Map<String, Model> versions) {
        TreeMap<String, LoadedModel> loaded = new TreeMap<>();
        versions.forEach((v, m) -> loaded.put(v, new LoadedModel(name, v, m, false, Instant.EPOCH)));
        return new ModelEntry(name, loaded, null);
    }

    // ---- server and health ----

    @Test
    void serverMetadataNamesTheServerItsBuildVersionAndTheBinaryExtension() {
        JsonNode body = getOk("/v2");
        assertThat(body.get("name").stringValue()).isEqualTo("lrnn-serve");
        assertThat(body.get("version").stringValue()).isEqualTo("1.2.3");
        assertThat(body.get("extensions").isArray()).isTrue();
        assertThat(strings(body.get("extensions"))).containsExactly("binary_tensor_data");
        assertThat(getOk("/v2/")).isEqualTo(body);
    }

    @Test
    void liveIsTrue() {
        assertThat(getOk("/v2/health/live").get("live").booleanValue()).isTrue();
    }

    @Test
    void readyOnceTheModelsAreLoadedAnd503Before() {
        assertThat(getOk("/v2/health/ready").get("ready").booleanValue()).isTrue();

        when(models.isLoaded()).thenReturn(false);
        MvcTestResult result = mvc.get().uri("/v2/health/ready").exchange();
        assertThat(result).hasStatus(503);
        assertThat(body(result).get("error").stringValue())
                .isEqualTo("server is not ready: the models are still loading");
    }

    // ---- model metadata and readiness ----

    @Test
    void modelMetadataDescribesVersionsPlatformAndTensors() {
        JsonNode body = getOk("/v2/models/reg");
        assertThat(body.get("name").stringValue()).isEqualTo("reg");
        assertThat(strings(body.get("versions"))).containsExactly("1", "2");
        assertThat(body.get("platform").stringValue()).isEqualTo("lrnn");
        assertThat(body.get("inputs").size()).isEqualTo(1);
        assertTensorMetadata(body.get("inputs").get(0), "input-0", "FP64", -1, 2);
        assertThat(body.get("outputs").size()).isEqualTo(1);
        assertTensorMetadata(body.get("outputs").get(0), "predictions", "FP64", -1, 2);

        JsonNode iris = getOk("/v2/models/iris/versions/1");
        assertThat(iris.get("name").stringValue()).isEqualTo("iris");
        assertTensorMetadata(iris.get("inputs").get(0), "input-0", "FP64", -1, 4);
        assertThat(iris.get("outputs").size()).isEqualTo(2);
        assertTensorMetadata(iris.get("outputs").get(0), "probabilities", "FP64", -1, 3);
        assertTensorMetadata(iris.get("outputs").get(1), "label", "BYTES", -1);
    }

    @Test
    void modelReadyForTheDefaultAndANamedVersion() {
        JsonNode body = getOk("/v2/models/reg/ready");
        assertThat(body.get("name").stringValue()).isEqualTo("reg");
        assertThat(body.get("ready").booleanValue()).isTrue();
        assertThat(getOk("/v2/models/reg/versions/1/ready").get("ready").booleanValue()).isTrue();
    }

    @Test
    void unknownModelOrVersionIs404WithAnErrorBodyOnEveryModelRoute() {
        for (String uri : List.of("/v2/models/nope", "/v2/models/nope/ready", "/v2/models/nope/versions/1",
                "/v2/models/nope/versions/1/ready")) {
            assertError(mvc.get().uri(uri).exchange(), 404, "no model named nope");
        }
        assertError(mvc.get().uri("/v2/models/reg/versions/9").exchange(), 404,
                "model reg has no version 9 (versions: 1, 2)");
        assertError(mvc.get().uri("/v2/models/reg/versions/9/ready").exchange(), 404,
                "model reg has no version 9 (versions: 1, 2)");
        assertError(infer("/v2/models/nope/infer", SPEC_EXAMPLE_ADAPTED), 404, "no model named nope");
        assertError(infer("/v2/models/reg/versions/9/infer", SPEC_EXAMPLE_ADAPTED), 404,
                "model reg has no version 9 (versions: 1, 2)");
    }

    // ---- inference: published examples ----

    @Test
    void kserveIrisExampleVerbatimAnswersProbabilitiesAndLabels() {
        JsonNode body = inferOk("/v2/models/iris/infer", KSERVE_IRIS_EXAMPLE);

        double[] expected = predict(IRIS, asFloat(new double[][] {{6.8, 2.8, 4.8, 1.4}, {6.0, 3.4, 4.5, 1.6}}));
        assertThat(body.get("model_name").stringValue()).isEqualTo("iris");
        assertThat(body.get("model_version").stringValue()).isEqualTo("1");
        assertThat(body.has("id")).isFalse();
        JsonNode outputs = body.get("outputs");
        assertThat(outputs.size()).isEqualTo(2);
        assertOutput(outputs.get(0), "probabilities", "FP64", new long[] {2, 3}, expected);
        assertThat(outputs.get(1).get("name").stringValue()).isEqualTo("label");
        assertThat(outputs.get(1).get("datatype").stringValue()).isEqualTo("BYTES");
        assertThat(longs(outputs.get(1).get("shape"))).containsExactly(2L);
        assertThat(strings(outputs.get(1).get("data"))).isEqualTo(argmaxLabels(IRIS, expected));
    }

    @Test
    void specExampleVerbatimIsRejectedForItsBoolInput() {
        assertError(infer("/v2/models/reg/infer", SPEC_EXAMPLE), 400,
                "inputs[1].datatype: expected one of " + TensorDatatype.SUPPORTED
                        + " but found BOOL (not supported: the model's inputs are real numbers)");
    }

    @Test
    void specExampleAdaptedEchoesItsIdAndAnswersTheRequestedOutput() {
        JsonNode body = inferOk("/v2/models/reg/infer", SPEC_EXAMPLE_ADAPTED);

        assertThat(body.get("id").stringValue()).isEqualTo("42");
        assertThat(body.get("model_name").stringValue()).isEqualTo("reg");
        assertThat(body.get("model_version").stringValue()).isEqualTo("2");
        assertThat(body.get("outputs").size()).isEqualTo(1);
        assertOutput(body.get("outputs").get(0), "predictions", "FP64", new long[] {2, 2},
                predict(REGRESSION_V2, new double[][] {{1, 2}, {3, 4}}));
    }

    // ---- inference: layouts, datatypes, versions, outputs ----

    @Test
    void flatAndNestedDataGiveTheSameAnswer() {
        double[][] rows = {{0.25, -1.5}, {3.0, 0.125}, {-2.0, 7.5}};
        double[] expected = predict(REGRESSION_V2, rows);
        String flat = request(tensor("input-0", "FP64", "[3, 2]", "[0.25, -1.5, 3.0, 0.125, -2.0, 7.5]"));
        String nested = request(tensor("input-0", "FP64", "[3, 2]", "[[0.25, -1.5], [3.0, 0.125], [-2.0, 7.5]]"));

        assertOutput(inferOk("/v2/models/reg/infer", flat).get("outputs").get(0), "predictions", "FP64",
                new long[] {3, 2}, expected);
        assertOutput(inferOk("/v2/models/reg/infer", nested).get("outputs").get(0), "predictions", "FP64",
                new long[] {3, 2}, expected);
    }

    @Test
    void oneRowTakesTheSingleRowPathAndAgreesWithTheBatch() {
        String one = request(tensor("x", "FP64", "[1, 2]", "[0.25, -1.5]"));
        assertOutput(inferOk("/v2/models/reg/infer", one).get("outputs").get(0), "predictions", "FP64",
                new long[] {1, 2}, predict(REGRESSION_V2, new double[][] {{0.25, -1.5}}));
    }

    @Test
    void fp32ValuesAreReadAsFloats() {
        double[][] rows = {{12.345678901, -0.7}};
        String body = request(tensor("input-0", "FP32", "[1, 2]", "[12.345678901, -0.7]"));
        double[] fp32 = predict(REGRESSION_V2, asFloat(rows));
        double[] fp64 = predict(REGRESSION_V2, rows);

        JsonNode output = inferOk("/v2/models/reg/infer", body).get("outputs").get(0);
        assertOutput(output, "predictions", "FP64", new long[] {1, 2}, fp32);
        assertThat(Math.abs(fp32[0] - fp64[0])).as("the float rounding must be visible in this check")
                .isGreaterThan(1e-10);
    }

    @Test
    void everyIntegerDatatypeIsAccepted() {
        double[] expected = predict(REGRESSION_V2, new double[][] {{1, 2}, {3, 4}});
        for (String type : List.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64")) {
            String body = request(tensor("input-0", type, "[2, 2]", "[1, 2, 3.0, 4]"));
            assertOutput(inferOk("/v2/models/reg/infer", body).get("outputs").get(0), "predictions", "FP64",
                    new long[] {2, 2}, expected);
        }
    }

    @Test
    void oneTensorPerFeatureOfShapeBOrB1() {
        double[][] rows = {{1, -0.25}, {2, 2.0}, {-3, 0.0}};
        String body = request(tensor("x2", "FP64", "[3, 1]", "[[-0.25], [2.0], [0.0]]"),
                tensor("x1", "INT32", "[3]", "[1, 2, -3]"));

        assertOutput(inferOk("/v2/models/reg/infer", body).get("outputs").get(0), "predictions", "FP64",
                new long[] {3, 2}, predict(REGRESSION_V2, rows));
    }

    @Test
    void theVersionRouteUsesThatVersion() {
        double[][] rows = {{0.5, -0.25}};
        String body = request(tensor("input-0", "FP64", "[1, 2]", "[0.5, -0.25]"));
        double[] v1 = predict(REGRESSION_V1, rows);

        JsonNode response = inferOk("/v2/models/reg/versions/1/infer", body);
        assertThat(response.get("model_version").stringValue()).isEqualTo("1");
        assertOutput(response.get("outputs").get(0), "predictions", "FP64", new long[] {1, 2}, v1);
        assertThat(v1[0]).as("the two versions must differ for this check to mean anything")
                .isNotCloseTo(predict(REGRESSION_V2, rows)[0], within(1e-6));
    }

    @Test
    void parametersAnywhereAreAcceptedAndIgnored() {
        String plain = request(tensor("input-0", "FP64", "[1, 2]", "[0.5, -0.25]"));
        String withParameters = """
                {"id": "p-1", "parameters": {"content_type": "np", "priority": 3, "flag": true},
                 "inputs": [{"name": "input-0", "shape": [1, 2], "datatype": "FP64",
                             "parameters": {"content_type": "np"}, "data": [0.5, -0.25]}],
                 "outputs": [{"name": "predictions", "parameters": {"binary_data": false}}]}
                """;
        JsonNode a = inferOk("/v2/models/reg/infer", plain);
        JsonNode b = inferOk("/v2/models/reg/infer", withParameters);
        assertThat(b.get("id").stringValue()).isEqualTo("p-1");
        assertThat(b.get("outputs")).isEqualTo(a.get("outputs"));
    }

    @Test
    void requestedOutputsSelectAndOrderTheAnswer() {
        String body = KSERVE_IRIS_EXAMPLE.replace("  ]\n}", "  ],\n  \"outputs\": [{\"name\": \"label\"}]\n}");
        assertThat(body).contains("\"outputs\"");
        JsonNode outputs = inferOk("/v2/models/iris/infer", body).get("outputs");
        assertThat(outputs.size()).isEqualTo(1);
        assertThat(outputs.get(0).get("name").stringValue()).isEqualTo("label");

        String both = body.replace("[{\"name\": \"label\"}]", "[{\"name\": \"label\"}, {\"name\": \"probabilities\"}]");
        JsonNode two = inferOk("/v2/models/iris/infer", both).get("outputs");
        assertThat(List.of(two.get(0).get("name").stringValue(), two.get(1).get("name").stringValue()))
                .containsExactly("label", "probabilities");
    }

    @Test
    void anyContentTypeIsReadAsJson() {
        MvcTestResult result = mvc.post().uri("/v2/models/reg/infer").contentType(MediaType.TEXT_PLAIN)
                .content(SPEC_EXAMPLE_ADAPTED).exchange();
        assertThat(result).hasStatusOk();
        assertThat(body(result).get("id").stringValue()).isEqualTo("42");
    }

    @Test
    void aFormBodyIs415NamingJson() {
        MvcTestResult result = mvc.post().uri("/v2/models/reg/infer").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content(SPEC_EXAMPLE_ADAPTED).exchange();
        assertError(result, 415,
                "Content-Type: expected one of [application/json] but found application/x-www-form-urlencoded");
    }

    @Test
    void inferenceIsMeasuredByThePredictionServiceUnderTheV2Tag() {
        double successes = count("success");
        double badRequests = count("bad_request");
        inferOk("/v2/models/reg/infer", SPEC_EXAMPLE_ADAPTED);
        infer("/v2/models/reg/infer", SPEC_EXAMPLE);
        assertThat(count("success")).isEqualTo(successes + 1);
        assertThat(count("bad_request")).isEqualTo(badRequests + 1);
    }

    // ---- inference: bad input ----

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("wrong shape", request(tensor("input-0", "FP64", "[3, 3]", "[1,2,3,4,5,6,7,8,9]")),
                        "inputs[0].shape: expected [B, 2] but found [3, 3]"),
                Arguments.of("rank 1 single tensor", request(tensor("input-0", "FP64", "[2]", "[1, 2]")),
                        "inputs[0].shape: expected [B, 2] but found [2]"),
                Arguments.of("element count", request(tensor("input-0", "FP64", "[2, 2]", "[1, 2, 3]")),
                        "inputs[0].data: expected 4 values (shape [2, 2]) but found 3 values"),
                Arguments.of("nesting shorter than shape",
                        request(tensor("input-0", "FP64", "[2, 2]", "[[1, 2], [3]]")),
                        "inputs[0].data[1]: expected an array of 2 (nested data follows shape [2, 2]) "
                                + "but found an array of 1"),
                Arguments.of("nesting with fewer rows",
                        request(tensor("input-0", "FP64", "[3, 2]", "[[1, 2], [3, 4]]")),
                        "inputs[0].data: expected an array of 3 (nested data follows shape [3, 2]) "
                                + "but found an array of 2"),
                Arguments.of("flat and nested mixed", request(tensor("input-0", "FP64", "[2, 2]", "[[1, 2], 3, 4]")),
                        "inputs[0].data: expected an array of 2 (nested data follows shape [2, 2]) "
                                + "but found an array of 3"),
                Arguments.of("nested deeper than shape",
                        request(tensor("input-0", "FP64", "[2, 2]", "[[[1], [2]], [[3], [4]]]")),
                        "inputs[0].data[0][0]: expected a number (FP64) but found an array"),
                Arguments.of("BYTES", request(tensor("input-0", "BYTES", "[1, 2]", "[\"a\", \"b\"]")),
                        "inputs[0].datatype: expected one of " + TensorDatatype.SUPPORTED
                                + " but found BYTES (not supported: the model's inputs are real numbers)"),
                Arguments.of("unknown datatype", request(tensor("input-0", "fp32", "[1, 2]", "[1, 2]")),
                        "inputs[0].datatype: expected one of " + TensorDatatype.SUPPORTED + " but found fp32"),
                Arguments.of("string element", request(tensor("input-0", "FP64", "[1, 2]", "[1, \"2\"]")),
                        "inputs[0].data[1]: expected a number (FP64) but found string \"2\""),
                Arguments.of("fraction in INT32", request(tensor("input-0", "INT32", "[1, 2]", "[1, 2.5]")),
                        "inputs[0].data[1]: expected an integer (INT32) but found 2.5"),
                Arguments.of("UINT8 out of range", request(tensor("input-0", "UINT8", "[1, 2]", "[[1, 256]]")),
                        "inputs[0].data[0][1]: expected an integer in [0, 255] (UINT8) but found 256"),
                Arguments.of("negative UINT64", request(tensor("input-0", "UINT64", "[1, 2]", "[-1, 2]")),
                        "inputs[0].data[0]: expected an integer in [0, 18446744073709551615] (UINT64) but found -1"),
                Arguments.of("FP32 overflow", request(tensor("input-0", "FP32", "[1, 2]", "[1e39, 2]")),
                        "inputs[0].data[0]: expected a finite FP32 number but found 1.0E39"),
                Arguments.of("FP64 overflow", request(tensor("input-0", "FP64", "[1, 2]", "[1, -1e400]")),
                        "inputs[0].data[1]: expected a finite FP64 number but found -Infinity"),
                Arguments.of("FP64 integer overflow",
                        request(tensor("input-0", "FP64", "[1, 2]", "[1" + "0".repeat(400) + ", 2]")),
                        "inputs[0].data[0]: expected a finite FP64 number but found Infinity"),
                Arguments.of("INT64 overflow",
                        request(tensor("input-0", "INT64", "[1, 2]", "[1, 9223372036854775808]")),
                        "inputs[0].data[1]: expected an integer in [-9223372036854775808, 9223372036854775807] "
                                + "(INT64) but found 9223372036854775808"),
                Arguments.of("empty batch", request(tensor("input-0", "FP64", "[0, 2]", "[]")),
                        "inputs[0].shape: expected a batch of at least one row but found [0, 2] (an empty batch)"),
                Arguments.of("batch over the limit",
                        request(tensor("input-0", "FP64", "[6, 2]", "[1,2,3,4,5,6,7,8,9,10,11,12]")),
                        "inputs[0].shape: expected a batch of at most 5 rows (lrnn.predict.max-batch) "
                                + "but found 6 rows"),
                Arguments.of("negative dimension", request(tensor("input-0", "FP64", "[-1, 2]", "[1, 2]")),
                        "inputs[0].shape[0]: expected a non-negative integer but found number -1"),
                Arguments.of("no shape", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP64\", \"data\": [1, 2]}]}",
                        "inputs[0].shape: expected an array of dimensions but found none"),
                Arguments.of("no data", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\"}]}",
                        "inputs[0].data: expected an array of numbers (flat or nested as the shape) but found none"),
                Arguments.of("no name", "{\"inputs\": [{\"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [1, 2]}]}",
                        "inputs[0].name: expected a tensor name but found none"),
                Arguments.of("missing inputs", "{\"id\": \"1\"}",
                        "inputs: expected an array of at least one input tensor but found none"),
                Arguments.of("empty inputs", "{\"inputs\": []}",
                        "inputs: expected an array of at least one input tensor but found an empty array"),
                Arguments.of("feature missing", request(tensor("x1", "FP64", "[2]", "[1, 2]")),
                        "inputs: expected one tensor per feature [x1, x2] but found none named x2"),
                Arguments.of("feature twice", request(tensor("x1", "FP64", "[2]", "[1, 2]"),
                                tensor("x2", "FP64", "[2]", "[1, 2]"), tensor("x1", "FP64", "[2]", "[1, 2]")),
                        "inputs[2].name: expected each feature once but found x1 again (also inputs[0])"),
                Arguments.of("feature batches differ", request(tensor("x1", "FP64", "[2]", "[1, 2]"),
                                tensor("x2", "FP64", "[3]", "[1, 2, 3]")),
                        "inputs[1].shape: expected [B] or [B, 1] with B = 2 (as inputs[0].shape) but found [3]"),
                Arguments.of("feature of width 2", request(tensor("x1", "FP64", "[2, 2]", "[1, 2, 3, 4]"),
                                tensor("x2", "FP64", "[2]", "[1, 2]")),
                        "inputs[0].shape: expected [B] or [B, 1] but found [2, 2]"),
                Arguments.of("unknown tensors", request(tensor("a", "FP64", "[2]", "[1, 2]"),
                                tensor("b", "FP64", "[2]", "[1, 2]")),
                        "inputs: expected one tensor of shape [B, 2] or one tensor per feature [x1, x2] "
                                + "but found 2 tensors named [a, b]"),
                Arguments.of("unknown requested output", SPEC_EXAMPLE_ADAPTED.replace("predictions", "output0"),
                        "outputs[0].name: expected one of [predictions] but found output0"),
                Arguments.of("output requested twice", SPEC_EXAMPLE_ADAPTED.replace(
                                "{\n      \"name\" : \"predictions\"\n    }",
                                "{\"name\": \"predictions\"}, {\"name\": \"predictions\"}"),
                        "outputs[1].name: expected each output once but found predictions again"),
                Arguments.of("id not a string", SPEC_EXAMPLE_ADAPTED.replace("\"42\"", "42"),
                        "id: expected a string but found number 42"),
                Arguments.of("parameters not an object", "{\"parameters\": [1], \"inputs\": []}",
                        "parameters: expected an object of parameters but found an array"),
                Arguments.of("binary tensor data", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], "
                                + "\"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 8}}]}",
                        "inputs[0].parameters.binary_data_size: expected tensor data in JSON, or the "
                                + "Inference-Header-Content-Length header of the binary tensor data extension giving "
                                + "the length of the JSON before the binary data but found 8"),
                Arguments.of("not an object", "[1, 2]",
                        "request body: expected an inference request object but found an array"),
                Arguments.of("malformed JSON", "{\"inputs\": [",
                        "request body: expected well-formed JSON but found Unexpected end-of-input: "
                                + "expected close marker for Array"),
                Arguments.of("more values than the largest batch holds", request(tensor("input-0", "FP64", "[3000, 2]",
                                "[" + "1, ".repeat(5999) + "1]")),
                        "request body: expected at most 4111 JSON values (lrnn.predict.max-batch 5 rows of 2 inputs, "
                                + "plus 4096) but found more"),
                Arguments.of("nested too deep", request(tensor("input-0", "FP64", "[1, 2]", "[".repeat(40))),
                        "request body: expected JSON within the limits (depth 32, numbers of 1000 characters, "
                                + "strings of 65536) but found Document nesting depth (33) exceeds the maximum allowed (32)"),
                Arguments.of("empty body", "",
                        "request body: expected an inference request object but found none"));
    }

    @Test
    void aRowThatOverflowsInsideTheModelIs422NamingItNeverNaN() {
        MvcTestResult result = infer("/v2/models/reg/infer", request(tensor("input-0", "FP64", "[2, 2]",
                "[0.1, 0.2, 1e308, -1e308]")));
        assertThat(result).hasStatus(422);
        assertThat(body(result).propertyNames()).containsExactly("error");
        assertThat(body(result).get("error").stringValue()).startsWith("row 1: expected a finite y");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequestIs400WithAnErrorNamingTheField(String description, String body, String error) {
        assertError(infer("/v2/models/reg/infer", body), 400, error);
    }

    // ---- helpers ----

    static String tensor(String name, String datatype, String shape, String data) {
        return "{\"name\": \"" + name + "\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"data\": " + data + "}";
    }

    static String request(String... tensors) {
        return "{\"inputs\": [" + String.join(", ", tensors) + "]}";
    }

    private MvcTestResult infer(String uri, String body) {
        return mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private JsonNode inferOk(String uri, String body) {
        MvcTestResult result = infer(uri, body);
        assertThat(result).hasStatusOk();
        return body(result);
    }

    private JsonNode getOk(String uri) {
        MvcTestResult result = mvc.get().uri(uri).exchange();
        assertThat(result).hasStatusOk();
        return body(result);
    }

    private JsonNode body(MvcTestResult result) {
        try {
            return json.readTree(result.getResponse().getContentAsString());
        } catch (java.io.UnsupportedEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private void assertError(MvcTestResult result, int status, String error) {
        assertThat(result).hasStatus(status);
        JsonNode body = body(result);
        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.get("error").stringValue()).isEqualTo(error);
    }

    private double count(String outcome) {
        return meters.find("lrnn.predict").tags("model", "reg", "api", "v2", "outcome", outcome).timers().stream()
                .mapToDouble(Timer::count).sum();
    }

    private static void assertTensorMetadata(JsonNode tensor, String name, String datatype, long... shape) {
        assertThat(tensor.get("name").stringValue()).isEqualTo(name);
        assertThat(tensor.get("datatype").stringValue()).isEqualTo(datatype);
        assertThat(longs(tensor.get("shape"))).containsExactly(shape);
    }

    static void assertOutput(JsonNode output, String name, String datatype, long[] shape, double[] expected) {
        assertThat(output.get("name").stringValue()).isEqualTo(name);
        assertThat(output.get("datatype").stringValue()).isEqualTo(datatype);
        assertThat(longs(output.get("shape"))).containsExactly(shape);
        JsonNode data = output.get("data");
        assertThat(data.size()).isEqualTo(expected.length);
        for (int e = 0; e < expected.length; e++) {
            assertThat(data.get(e).doubleValue()).as("%s.data[%d]", name, e).isCloseTo(expected[e], within(TOLERANCE));
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(node -> out.add(node.stringValue()));
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).longValue();
        }
        return out;
    }
}

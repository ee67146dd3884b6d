package io.lrnn.server.grpc;

import static io.lrnn.server.grpc.GrpcClient.bool;
import static io.lrnn.server.grpc.GrpcClient.contents;
import static io.lrnn.server.grpc.GrpcClient.fp64;
import static io.lrnn.server.grpc.GrpcClient.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lrnn.engine.Model;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.predict.TensorDatatype;
import io.lrnn.server.PrometheusSamples;
import io.lrnn.server.SwapUnderLoad;
import io.lrnn.server.TestModels;
import io.lrnn.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.lrnn.server.grpc.v2.ModelInferRequest;
import io.lrnn.server.grpc.v2.ModelInferResponse;
import io.lrnn.server.grpc.v2.ModelMetadataRequest;
import io.lrnn.server.grpc.v2.ModelMetadataResponse;
import io.lrnn.server.grpc.v2.ModelReadyRequest;
import io.lrnn.server.grpc.v2.ServerLiveRequest;
import io.lrnn.server.grpc.v2.ServerMetadataRequest;
import io.lrnn.server.grpc.v2.ServerReadyRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Open Inference Protocol over gRPC through a real Netty channel to the whole server, next to
 * REST over real HTTP: every RPC, both content kinds in every datatype, raw outputs, every error
 * code with REST's message, the API key, and a version swap under concurrent calls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.grpc.port=-1", "lrnn.security.api-key=" + GrpcEndToEndTest.KEY, "lrnn.security.protect-predict=true",
        "lrnn.predict.max-batch=100", "lrnn.predict.max-body-size=256KB"})
class GrpcEndToEndTest {

    static final String KEY = "grpc-test-key";
    static final String BEARER = "Bearer " + KEY;
    static final Model REG_V1 = TestModels.regression(1);
    static final Model REG_V2 = TestModels.regression(2);
    static final Model CLS = TestModels.classifier(3);
    /** Small whole numbers, so every datatype holds them exactly. */
    static final double[][] ROWS = {{1, 2, 3}, {0, 5, 4}, {7, 1, 0}};

    @TempDir
    static Path modelDirectory;

    @DynamicPropertySource
    static void models(DynamicPropertyRegistry registry) {
        TestModels.write(modelDirectory, "reg", "1", REG_V1);
        TestModels.write(modelDirectory, "reg", "2", REG_V2);
        TestModels.write(modelDirectory, "cls", "1", CLS);
        registry.add("lrnn.models.directory", modelDirectory::toString);
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    HttpTestClient http;
    GrpcClient grpc;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub open;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub keyed;

    @BeforeEach
    void connect() {
        http = new HttpTestClient(httpPort);
        grpc = new GrpcClient(grpcServer.port());
        open = grpc.stub();
        keyed = grpc.stub(BEARER);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        grpc.close();
    }

    @Test
    void healthAndMetadataRpcsAnswerAsRestDoesWithoutTheKey() {
        assertThat(grpcServer.port()).isPositive().isNotEqualTo(8081);
        assertThat(open.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(open.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        var server = open.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        JsonNode restServer = http.get("/v2").body();
        assertThat(server.getName()).isEqualTo("lrnn-serve").isEqualTo(restServer.get("name").asString());
        assertThat(server.getVersion()).isEqualTo(restServer.get("version").asString());
        assertThat(server.getExtensionsList()).isEmpty();

        assertThat(open.modelReady(ModelReadyRequest.newBuilder().setName("reg").build()).getReady()).isTrue();
        assertThat(open.modelReady(ModelReadyRequest.newBuilder().setName("reg").setVersion("1").build()).getReady())
                .isTrue();
        for (String[] model : new String[][] {{"reg", ""}, {"reg", "1"}, {"cls", ""}}) {
            ModelMetadataResponse metadata = open.modelMetadata(ModelMetadataRequest.newBuilder().setName(model[0])
                    .setVersion(model[1]).build());
            JsonNode rest = http.get("/v2/models/" + model[0] + (model[1].isEmpty() ? "" : "/versions/" + model[1]))
                    .body();
            assertThat(metadata.getName()).isEqualTo(rest.get("name").asString());
            assertThat(metadata.getPlatform()).isEqualTo(rest.get("platform").asString()).isEqualTo("lrnn");
            assertThat(metadata.getVersionsList()).isEqualTo(strings(rest.get("versions")));
            assertThat(metadata.getInputsCount()).isEqualTo(rest.get("inputs").size()).isEqualTo(1);
            assertThat(metadata.getOutputsCount()).isEqualTo(rest.get("outputs").size());
            for (int o = 0; o < metadata.getOutputsCount(); o++) {
                JsonNode tensor = rest.get("outputs").get(o);
                assertThat(metadata.getOutputs(o).getName()).isEqualTo(tensor.get("name").asString());
                assertThat(metadata.getOutputs(o).getDatatype()).isEqualTo(tensor.get("datatype").asString());
                assertThat(metadata.getOutputs(o).getShapeList()).isEqualTo(longs(tensor.get("shape")));
            }
            JsonNode input = rest.get("inputs").get(0);
            assertThat(metadata.getInputs(0).getShapeList()).isEqualTo(longs(input.get("shape")));
        }
        ModelMetadataResponse reg = open.modelMetadata(ModelMetadataRequest.newBuilder().setName("reg").build());
        assertThat(reg.getVersionsList()).containsExactly("1", "2");
        assertThat(reg.getInputs(0).getShapeList()).containsExactly(-1L, 3L);
        assertThat(reg.getOutputs(0).getName()).isEqualTo("predictions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FP64", "FP32", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64"})
    void everyDatatypeInContentsAndRawPredictsTheEngineNumbers(String datatype) {
        double[][] rows = switch (datatype) {
            // Values with the top bit of their type set, so signed reading of unsigned data shows.
            case "UINT8" -> new double[][] {{200, 1, 255}, {3, 250, 0}, {128, 7, 9}};
            case "UINT16" -> new double[][] {{65535, 1, 40000}, {3, 250, 0}, {32768, 7, 9}};
            case "UINT32" -> new double[][] {{4294967295.0, 1, 3e9}, {3, 250, 0}, {2147483648.0, 7, 9}};
            default -> ROWS;
        };
        double[] expected = engine(REG_V2, rows);
        ModelInferResponse fromContents = keyed.modelInfer(contents("reg", datatype, rows).setId("c-1").build());
        assertThat(fromContents.getModelName()).isEqualTo("reg");
        assertThat(fromContents.getModelVersion()).isEqualTo("2");
        assertThat(fromContents.getId()).isEqualTo("c-1");
        assertThat(fromContents.getRawOutputContentsCount()).isZero();
        assertThat(fromContents.getOutputs(0).getShapeList()).containsExactly(3L, 2L);
        assertThat(fp64(fromContents, 0)).containsExactly(expected);

        ModelInferResponse fromRaw = keyed.modelInfer(raw("reg", datatype, rows).build());
        assertThat(fromRaw.getRawOutputContentsCount()).as("raw inputs get raw outputs").isEqualTo(1);
        assertThat(fromRaw.getOutputs(0).hasContents()).isFalse();
        assertThat(fp64(fromRaw, 0)).containsExactly(expected);
    }

    @Test
    void fp32InputsAreRoundedToFloatAsRestRoundsThem() {
        double[][] rows = {{0.1, -0.7, 2.3}};
        double[][] asFloat = {{(float) 0.1, (float) -0.7, (float) 2.3}};
        assertThat(fp64(keyed.modelInfer(contents("reg", "FP32", rows).build()), 0))
                .containsExactly(engine(REG_V2, asFloat));
        assertThat(fp64(keyed.modelInfer(raw("reg", "FP32", rows).build()), 0))
                .containsExactly(engine(REG_V2, asFloat));
        assertThat(fp64(keyed.modelInfer(contents("reg", "FP32", rows).build()), 0))
                .isEqualTo(restValues(rest("/v2/models/reg/infer", tensorJson("FP32", rows)), 0));
    }

    @Test
    void answersEqualRestForTheSameRowsOneAndManyByMatrixAndByFeature() {
        for (double[][] rows : new double[][][] {{{0.25, -0.5, 1.0}}, {{0.25, -0.5, 1.0}, {0.0, 0.1, -0.1},
                {3.5, 2.25, -1.75}, {1e-3, 4, 9}}}) {
            JsonNode restAnswer = rest("/v2/models/reg/versions/1/infer", tensorJson("FP64", rows));
            ModelInferResponse answer = keyed.modelInfer(contents("reg", "FP64", rows).setModelVersion("1").build());
            assertThat(answer.getModelVersion()).isEqualTo(restAnswer.get("model_version").asString()).isEqualTo("1");
            assertThat(fp64(answer, 0)).isEqualTo(restValues(restAnswer, 0));

            ModelInferRequest.Builder byFeature = ModelInferRequest.newBuilder().setModelName("reg");
            for (int k = 0; k < 3; k++) {
                var tensor = byFeature.addInputsBuilder().setName("x" + (k + 1)).setDatatype("FP64")
                        .addShape(rows.length);
                for (double[] row : rows) {
                    tensor.getContentsBuilder().addFp64Contents(row[k]);
                }
            }
            assertThat(fp64(keyed.modelInfer(byFeature.setModelVersion("1").build()), 0))
                    .isEqualTo(restValues(restAnswer, 0));
        }
        double[][] rows = {{0.3, -1.2}, {1.5, 0.5}, {-2, 2}};
        JsonNode restAnswer = rest("/v2/models/cls/infer", tensorJson("FP64", rows));
        ModelInferResponse answer = keyed.modelInfer(contents("cls", "FP64", rows).build());
        assertThat(answer.getOutputs(0).getName()).isEqualTo("probabilities");
        assertThat(fp64(answer, 0)).isEqualTo(restValues(restAnswer, 0));
        assertThat(answer.getOutputs(1).getName()).isEqualTo("label");
        assertThat(answer.getOutputs(1).getDatatype()).isEqualTo("BYTES");
        assertThat(answer.getOutputs(1).getContents().getBytesContentsList().stream()
                .map(ByteString::toStringUtf8).toList()).isEqualTo(strings(restAnswer.get("outputs").get(1).get("data")));
    }

    @Test
    void rawOutputsWhenAskedOrForRawInputsUnlessDeclined() {
        double[][] rows = {{0.3, -1.2}, {1.5, 0.5}};
        ModelInferResponse plain = keyed.modelInfer(contents("cls", "FP64", rows).build());
        ModelInferResponse asked = keyed.modelInfer(contents("cls", "FP64", rows)
                .putParameters(TensorCodec.BINARY_DATA, bool(true)).build());
        assertThat(asked.getRawOutputContentsCount()).isEqualTo(2);
        assertThat(asked.getOutputs(0).hasContents() || asked.getOutputs(1).hasContents()).isFalse();
        assertThat(fp64(asked, 0)).containsExactly(fp64(plain, 0));
        assertThat(labels(asked.getRawOutputContents(1)))
                .isEqualTo(plain.getOutputs(1).getContents().getBytesContentsList().stream()
                        .map(ByteString::toStringUtf8).toList());

        ModelInferRequest.Builder oneOutput = contents("cls", "FP64", rows);
        oneOutput.addOutputsBuilder().setName("label").putParameters(TensorCodec.BINARY_DATA, bool(true));
        ModelInferResponse label = keyed.modelInfer(oneOutput.build());
        assertThat(label.getOutputsList()).hasSize(1);
        assertThat(labels(label.getRawOutputContents(0))).hasSize(2);

        ModelInferResponse declined = keyed.modelInfer(raw("cls", "FP64", rows)
                .putParameters(TensorCodec.BINARY_DATA, bool(false)).build());
        assertThat(declined.getRawOutputContentsCount()).isZero();
        assertThat(fp64(declined, 0)).containsExactly(fp64(plain, 0));
    }

    @Test
    void badRequestsAreInvalidArgumentWithRestsMessage() {
        assertSameError(contents("reg", "FP64", new double[][] {{1, 2}}),
                "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [1, 2]}]}",
                Status.Code.INVALID_ARGUMENT, "inputs[0].shape: expected [B, 3] but found [1, 2]");
        double[][] tooMany = new double[101][3];
        assertSameError(contents("reg", "FP64", tooMany), tensorJson("FP64", tooMany), Status.Code.INVALID_ARGUMENT,
                "inputs[0].shape: expected a batch of at most 100 rows (lrnn.predict.max-batch) but found 101 rows");
        ModelInferRequest.Builder bool = ModelInferRequest.newBuilder().setModelName("reg");
        bool.addInputsBuilder().setName("input-0").setDatatype("BOOL").addShape(1).addShape(3);
        assertSameError(bool, "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [1, 3], \"datatype\": \"BOOL\", "
                        + "\"data\": [true, false, true]}]}", Status.Code.INVALID_ARGUMENT,
                "inputs[0].datatype: expected one of " + TensorDatatype.SUPPORTED
                        + " but found BOOL (not supported: the model's inputs are real numbers)");
        ModelInferRequest.Builder unknownOutput = contents("reg", "FP64", ROWS);
        unknownOutput.addOutputsBuilder().setName("nope");
        assertSameError(unknownOutput, tensorJson("FP64", ROWS).replace("]}]}", "]}], \"outputs\": [{\"name\": \"nope\"}]}"),
                Status.Code.INVALID_ARGUMENT, "outputs[0].name: expected one of [predictions] but found nope");

        assertError(contents("reg", "FP64", new double[][] {{1, Double.NaN, 3}}), Status.Code.INVALID_ARGUMENT,
                "inputs[0].contents.fp64_contents[1]: expected a finite FP64 number but found NaN");
        assertError(contents("reg", "INT8", new double[][] {{1, 300, 3}}), Status.Code.INVALID_ARGUMENT,
                "inputs[0].contents.int_contents[1]: expected an integer in [-128, 127] (INT8) but found 300");
        ModelInferRequest.Builder short4 = raw("reg", "FP32", ROWS);
        short4.setRawInputContents(0, short4.getRawInputContents(0).substring(4));
        assertError(short4, Status.Code.INVALID_ARGUMENT,
                "raw_input_contents[0]: expected 36 bytes (9 FP32 values, shape [3, 3]) but found 32 bytes");
        ModelInferRequest.Builder wrongField = contents("reg", "FP64", ROWS);
        wrongField.getInputsBuilder(0).setDatatype("FP32");
        assertError(wrongField, Status.Code.INVALID_ARGUMENT,
                "inputs[0].contents.fp32_contents: expected 9 values (shape [3, 3]) but found 0 values");
        ModelInferRequest.Builder both = raw("reg", "FP64", ROWS);
        both.getInputsBuilder(0).getContentsBuilder().addFp64Contents(1);
        assertError(both, Status.Code.INVALID_ARGUMENT,
                "inputs[0].contents: expected none (the request has raw_input_contents) but found contents");
        ModelInferRequest.Builder huge = ModelInferRequest.newBuilder().setModelName("reg");
        huge.addInputsBuilder().setName("input-0").setDatatype("FP64").addShape(1).addShape(1L << 40);
        assertError(huge, Status.Code.INVALID_ARGUMENT,
                "inputs[0].shape: expected at most 300 elements (lrnn.predict.max-batch rows of the model's inputs) "
                        + "but found more in [1, 1099511627776]");
        assertError(contents("", "FP64", ROWS), Status.Code.INVALID_ARGUMENT,
                "model_name: expected a model name but found none");
    }

    @Test
    void unknownModelsAndVersionsAreNotFoundWithRestsMessage() {
        assertSameError(contents("nope", "FP64", ROWS), tensorJson("FP64", ROWS), Status.Code.NOT_FOUND,
                "no model named nope");
        assertSameError(contents("reg", "FP64", ROWS).setModelVersion("9"), tensorJson("FP64", ROWS),
                Status.Code.NOT_FOUND, "model reg has no version 9 (versions: 1, 2)");
        assertThatThrownBy(() -> open.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()))
                .satisfies(e -> assertStatus(e, Status.Code.NOT_FOUND, "no model named nope"));
        assertThatThrownBy(() -> open.modelMetadata(ModelMetadataRequest.newBuilder().setName("reg").setVersion("9")
                .build())).satisfies(e -> assertStatus(e, Status.Code.NOT_FOUND,
                "model reg has no version 9 (versions: 1, 2)"));
    }

    @Test
    void aMessageOverTheBodyLimitIsResourceExhausted() {
        double[][] rows = new double[100][3];
        ModelInferRequest.Builder request = contents("reg", "FP64", rows);
        request.putParameters("padding", io.lrnn.server.grpc.v2.InferParameter.newBuilder()
                .setStringParam("x".repeat(300 * 1024)).build());
        assertThatThrownBy(() -> keyed.modelInfer(request.build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(keyed.modelInfer(contents("reg", "FP64", rows).build()).getOutputs(0).getShape(0)).isEqualTo(100);
    }

    @Test
    void inferNeedsTheKeyAsRestDoes() {
        String noToken = "Authorization: expected 'Bearer <API key>' (lrnn.security.api-key) but found no bearer token";
        String wrong = "Authorization: expected 'Bearer <API key>' (lrnn.security.api-key) but found a key that does "
                + "not match";
        ModelInferRequest request = contents("reg", "FP64", ROWS).build();
        assertThatThrownBy(() -> open.modelInfer(request))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, noToken));
        assertThatThrownBy(() -> grpc.stub("Bearer not-the-key").modelInfer(request))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, wrong));
        assertThatThrownBy(() -> grpc.stub(KEY).modelInfer(request))
                .satisfies(e -> assertStatus(e, Status.Code.UNAUTHENTICATED, noToken));
        HttpTestClient.Response restWithout = http.postJson("/v2/models/reg/infer", tensorJson("FP64", ROWS));
        assertThat(restWithout.status()).isEqualTo(401);
        assertThat(restWithout.body().get("error").asString()).isEqualTo(noToken);
        assertThat(fp64(grpc.stub("bearer " + KEY).modelInfer(request), 0)).containsExactly(engine(REG_V2, ROWS));
    }

    @Test
    void metricsCountCallsByMethodAndCodeAndPredictTagsTheApi() {
        keyed.modelInfer(contents("reg", "FP64", ROWS).build());
        assertThatThrownBy(() -> keyed.modelInfer(contents("nope", "FP64", ROWS).build()));
        List<PrometheusSamples.Sample> samples = PrometheusSamples.parse(http.get("/actuator/prometheus").raw());
        assertThat(PrometheusSamples.value(samples, "lrnn_grpc_server_seconds_count",
                Map.of("method", "ModelInfer", "code", "OK"))).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusSamples.value(samples, "lrnn_grpc_server_seconds_count",
                Map.of("method", "ModelInfer", "code", "NOT_FOUND"))).isGreaterThanOrEqualTo(1);
        assertThat(PrometheusSamples.value(samples, "lrnn_predict_seconds_count",
                Map.of("api", "grpc", "model", "reg", "outcome", "success"))).isGreaterThanOrEqualTo(1);
        JsonNode readiness = http.get("/actuator/health/readiness").body();
        assertThat(readiness.get("components").get("grpc").get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").get("grpc").get("details").get("port").asInt())
                .isEqualTo(grpcServer.port());
    }

    @Test
    void swappingVersionsUnderConcurrentGrpcCallsNeverFails() throws Exception {
        Map<String, Model> versions = new ConcurrentHashMap<>();
        versions.put("1", TestModels.regression(21));
        upload("swap", "1", versions.get("1"));
        SwapUnderLoad.run(4, caller -> {
            ModelInferRequest.Builder request = caller % 2 == 0 ? raw("swap", "FP64", ROWS) : contents("swap", "FP64", ROWS);
            ModelInferResponse r = keyed.modelInfer(request.build());
            Model model = versions.get(r.getModelVersion());
            return model != null && Arrays.equals(fp64(r, 0), engine(model, ROWS));
        }, () -> {
            for (int v = 2; v <= 6; v++) {
                Model model = TestModels.regression(20 + v);
                versions.put(Integer.toString(v), model);
                upload("swap", Integer.toString(v), model);
                if (v % 2 == 0) {
                    assertThat(http.putJson("/api/v1/models/swap/default-version", "{\"version\": \"" + (v - 1)
                            + "\"}", "Authorization", BEARER).status()).isEqualTo(200);
                }
                Thread.sleep(100);
            }
        });
    }

    @Test
    void aLabelIsAVersionAndTheRequestIdPicksTheSideOfTheSplitAsRestsHeaderDoes() {
        upload("lab", "1", TestModels.regression(31));
        upload("lab", "2", TestModels.regression(32));
        for (String[] label : new String[][] {{"stable", "1"}, {"canary", "2"}}) {
            assertThat(http.putJson("/api/v1/models/lab/labels/" + label[0], "{\"version\": \"" + label[1] + "\"}",
                    "Authorization", BEARER).status()).isEqualTo(200);
            assertThat(keyed.modelInfer(contents("lab", "FP64", ROWS).setModelVersion(label[0]).build())
                    .getModelVersion()).isEqualTo(label[1]);
        }
        assertThat(http.putJson("/api/v1/models/lab/traffic", "{\"split\": {\"stable\": 50, \"canary\": 50}}",
                "Authorization", BEARER).status()).isEqualTo(200);
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String id = "req-" + i;
            ModelInferResponse answer = keyed.modelInfer(contents("lab", "FP64", ROWS).setId(id).build());
            HttpTestClient.Response rest = http.postJson("/v2/models/lab/infer", tensorJson("FP64", ROWS),
                    "Authorization", BEARER, "X-Request-Id", id);
            assertThat(answer.getModelVersion()).as(id).isEqualTo(rest.body().get("model_version").asString());
            assertThat(fp64(answer, 0)).isEqualTo(restValues(rest.body(), 0));
            answered.add(answer.getModelVersion());
        }
        assertThat(answered).containsExactlyInAnyOrder("1", "2");
    }

    private void upload(String name, String version, Model model) {
        assertThat(http.putMultipart("/api/v1/models/" + name + "/versions/" + version,
                Map.of("model", TestModels.json(model), "weights", TestModels.weights(model)), "Authorization",
                BEARER).status()).isEqualTo(201);
    }

    private void assertSameError(ModelInferRequest.Builder request, String restBody, Status.Code code,
                                 String message) {
        assertError(request, code, message);
        String path = "/v2/models/" + request.getModelName()
                + (request.getModelVersion().isEmpty() ? "" : "/versions/" + request.getModelVersion()) + "/infer";
        HttpTestClient.Response rest = http.postJson(path, restBody, "Authorization", BEARER);
        assertThat(rest.status()).as(rest.raw()).isBetween(400, 499);
        assertThat(rest.body().get("error").asString()).isEqualTo(message);
    }

    private void assertError(ModelInferRequest.Builder request, Status.Code code, String message) {
        assertThatThrownBy(() -> keyed.modelInfer(request.build())).satisfies(e -> assertStatus(e, code, message));
    }

    static void assertStatus(Throwable e, Status.Code code, String message) {
        assertThat(e).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) e).getStatus();
        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        assertThat(status.getDescription()).isEqualTo(message);
    }

    private JsonNode rest(String path, String body) {
        HttpTestClient.Response response = http.postJson(path, body, "Authorization", BEARER);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    static String tensorJson(String datatype, double[][] rows) {
        StringBuilder data = new StringBuilder();
        for (double[] row : rows) {
            for (double v : row) {
                data.append(data.isEmpty() ? "" : ", ").append(v);
            }
        }
        return "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [" + rows.length + ", " + rows[0].length
                + "], \"datatype\": \"" + datatype + "\", \"data\": [" + data + "]}]}";
    }

    static double[] restValues(JsonNode answer, int output) {
        JsonNode data = answer.get("outputs").get(output).get("data");
        double[] values = new double[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.get(i).asDouble();
        }
        return values;
    }

    /** The engine's own outputs for {@code rows}, flat: the single-row path for one row, as the server runs it. */
    static double[] engine(Model model, double[][] rows) {
        int k = model.outputs().size();
        double[] flat = new double[rows.length * k];
        if (rows.length == 1) {
            model.predictRow(rows[0], flat);
            return flat;
        }
        DMatrixRMaj y = model.predict(new DMatrixRMaj(rows));
        System.arraycopy(y.data, 0, flat, 0, flat.length);
        return flat;
    }

    /** BYTES elements as Triton encodes them raw: a 4-byte little-endian length, then the bytes. */
    static List<String> labels(ByteString raw) {
        ByteBuffer bytes = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<String> labels = new ArrayList<>();
        while (bytes.hasRemaining()) {
            byte[] label = new byte[bytes.getInt()];
            bytes.get(label);
            labels.add(new String(label, StandardCharsets.UTF_8));
        }
        return labels;
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asLong()));
        return values;
    }
}

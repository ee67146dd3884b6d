package io.lrnn.server.predict;

import static io.lrnn.server.predict.OpenInferenceControllerTest.KSERVE_IRIS_EXAMPLE;
import static io.lrnn.server.predict.OpenInferenceControllerTest.assertOutput;
import static io.lrnn.server.predict.OpenInferenceControllerTest.longs;
import static io.lrnn.server.predict.OpenInferenceControllerTest.request;
import static io.lrnn.server.predict.OpenInferenceControllerTest.strings;
import static io.lrnn.server.predict.OpenInferenceControllerTest.tensor;
import static io.lrnn.server.predict.OpenInferenceModels.argmaxLabels;
import static io.lrnn.server.predict.OpenInferenceModels.asFloat;
import static io.lrnn.server.predict.OpenInferenceModels.predict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.lrnn.engine.Model;
import io.lrnn.engine.io.ModelFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open Inference Protocol over real HTTP against models written to disk: the numbers equal the
 * engine's own {@link Model#predict} and the native API's, for regression and classification.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenInferenceEndToEndTest {

    private static final double TOLERANCE = 1e-12;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final Model REGRESSION_V1 = OpenInferenceModels.regression(11);
    static final Model REGRESSION_V2 = OpenInferenceModels.regression(12);
    static final Model IRIS = OpenInferenceModels.iris(13);

    @TempDir
    static Path modelDirectory;


    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        write(REGRESSION_V1, "reg", "1");
        write(REGRESSION_V2, "reg", "2");
        write(IRIS, "iris", "1");
        registry.add("lrnn.models.directory", modelDirectory::toString);
    }

    private static void write(Model model, String name, String version) {
        try {
            ModelFiles.write(model, modelDirectory.resolve(name).resolve(version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    record Answer(int status, String contentType, JsonNode body) {
    }

    @Test
    void serverIsLiveReadyAndDescribesItself() {
        assertThat(get("/v2/health/live").body().get("live").booleanValue()).isTrue();
        Answer ready = get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("ready").booleanValue()).isTrue();
        JsonNode server = get("/v2").body();
        assertThat(server.get("name").stringValue()).isEqualTo("lrnn-serve");
        assertThat(server.get("version").stringValue()).isNotBlank();
        assertThat(strings(server.get("extensions"))).containsExactly("binary_tensor_data");
    }

    @Test
    void theOpenApiDocumentListsTheV2RoutesAndTheRequestSchema() {
        JsonNode api = get("/v3/api-docs").body();
        assertThat(api.get("paths").propertyNames()).contains("/v2", "/v2/health/live", "/v2/health/ready",
                "/v2/models/{name}", "/v2/models/{name}/versions/{version}", "/v2/models/{name}/ready",
                "/v2/models/{name}/versions/{version}/ready", "/v2/models/{name}/infer",
                "/v2/models/{name}/versions/{version}/infer");
        JsonNode body = api.get("paths").get("/v2/models/{name}/infer").get("post").get("requestBody");
        assertThat(body.get("content").get("application/json").get("schema").get("$ref").stringValue())
                .isEqualTo("#/components/schemas/InferenceRequest");
        assertThat(api.get("components").get("schemas").get("InferenceRequest").get("properties").propertyNames())
                .containsExactlyInAnyOrder("id", "parameters", "inputs", "outputs");
    }

    @Test
    void modelMetadataAndReadinessOfTheLoadedModels() {
        JsonNode reg = get("/v2/models/reg").body();
        assertThat(strings(reg.get("versions"))).containsExactly("1", "2");
        assertThat(longs(reg.get("inputs").get(0).get("shape"))).containsExactly(-1, 2);
        assertThat(longs(reg.get("outputs").get(0).get("shape"))).containsExactly(-1, 2);
        JsonNode iris = get("/v2/models/iris/versions/1").body();
        assertThat(longs(iris.get("inputs").get(0).get("shape"))).containsExactly(-1, 4);
        assertThat(iris.get("outputs").get(1).get("datatype").stringValue()).isEqualTo("BYTES");

        Answer ready = get("/v2/models/iris/versions/1/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("name").stringValue()).isEqualTo("iris");
        Answer missing = get("/v2/models/nope/ready");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error").stringValue()).isEqualTo("no model named nope");
    }

    @Test
    void regressionBatchEqualsTheEngineAndEchoesTheId() {
        double[][] rows = rows(7, 2, 21);
        String body = "{\"id\": \"batch-7\", " + request(tensor("input-0", "FP64", "[7, 2]", flat(rows))).substring(1);

        JsonNode response = postOk("/v2/models/reg/infer", body);
        assertThat(response.get("id").stringValue()).isEqualTo("batch-7");
        assertThat(response.get("model_name").stringValue()).isEqualTo("reg");
        assertThat(response.get("model_version").stringValue()).isEqualTo("2");
        assertOutput(response.get("outputs").get(0), "predictions", "FP64", new long[] {7, 2},
                predict(REGRESSION_V2, rows));
    }

    @Test
    void kserveIrisExampleAsPublishedClassifiesLikeTheEngine() {
        JsonNode response = postOk("/v2/models/iris/infer", KSERVE_IRIS_EXAMPLE);

        double[] expected = predict(IRIS, asFloat(new double[][] {{6.8, 2.8, 4.8, 1.4}, {6.0, 3.4, 4.5, 1.6}}));
        assertThat(response.has("id")).isFalse();
        assertOutput(response.get("outputs").get(0), "probabilities", "FP64", new long[] {2, 3}, expected);
        assertThat(strings(response.get("outputs").get(1).get("data"))).isEqualTo(argmaxLabels(IRIS, expected));
    }

    @Test
    void oneTensorPerFeatureAndTheVersionRoute() {
        double[][] rows = rows(4, 2, 22);
        double[] x1 = {rows[0][0], rows[1][0], rows[2][0], rows[3][0]};
        double[] x2 = {rows[0][1], rows[1][1], rows[2][1], rows[3][1]};
        String body = request(tensor("x1", "FP64", "[4]", Arrays.toString(x1)),
                tensor("x2", "FP64", "[4, 1]", Arrays.toString(x2)));

        JsonNode response = postOk("/v2/models/reg/versions/1/infer", body);
        assertThat(response.get("model_version").stringValue()).isEqualTo("1");
        double[] v1 = predict(REGRESSION_V1, rows);
        assertOutput(response.get("outputs").get(0), "predictions", "FP64", new long[] {4, 2}, v1);
        assertThat(v1[0]).isNotCloseTo(predict(REGRESSION_V2, rows)[0], within(1e-6));
    }

    @Test
    void nativeApiAndV2GiveIdenticalNumbers() {
        for (int batch : new int[] {1, 5}) {
            double[][] rows = rows(batch, 2, 30 + batch);
            JsonNode v2 = postOk("/v2/models/reg/infer", request(tensor("in", "FP64", "[" + batch + ", 2]",
                    Arrays.deepToString(rows)))).get("outputs").get(0).get("data");
            JsonNode predictions = postOk("/api/v1/models/reg/predict",
                    "{\"instances\": " + Arrays.deepToString(rows) + "}").get("predictions");
            for (int b = 0; b < batch; b++) {
                assertThat(v2.get(2 * b).doubleValue()).isEqualTo(predictions.get(b).get("y1").doubleValue());
                assertThat(v2.get(2 * b + 1).doubleValue()).isEqualTo(predictions.get(b).get("y2").doubleValue());
            }
        }

        double[][] flowers = rows(3, 4, 40);
        JsonNode v2 = postOk("/v2/models/iris/infer", request(tensor("in", "FP64", "[3, 4]",
                Arrays.deepToString(flowers)))).get("outputs");
        JsonNode predictions = postOk("/api/v1/models/iris/predict",
                "{\"instances\": " + Arrays.deepToString(flowers) + "}").get("predictions");
        for (int b = 0; b < 3; b++) {
            for (int k = 0; k < 3; k++) {
                assertThat(v2.get(0).get("data").get(3 * b + k).doubleValue()).isEqualTo(
                        predictions.get(b).get("probabilities").get(OpenInferenceModels.IRIS_LABELS.get(k))
                                .doubleValue());
            }
            assertThat(v2.get(1).get("data").get(b).stringValue())
                    .isEqualTo(predictions.get(b).get("label").stringValue());
        }
    }

    @Test
    void aBodyWithoutContentTypeIsReadAsJsonAFormIs415AndErrorsAreJson() {
        String body = request(tensor("input-0", "INT64", "[1, 2]", "[3, -4]"));
        HttpRequest noType = HttpRequest.newBuilder(uri("/v2/models/reg/infer"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Answer answer = send(noType);
        assertThat(answer.status()).isEqualTo(200);
        assertOutput(answer.body().get("outputs").get(0), "predictions", "FP64", new long[] {1, 2},
                predict(REGRESSION_V2, new double[][] {{3, -4}}));

        HttpRequest form = HttpRequest.newBuilder(uri("/v2/models/reg/infer"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Answer rejected = send(form);
        assertThat(rejected.status()).isEqualTo(415);
        assertThat(rejected.body().get("error").stringValue()).isEqualTo(
                "Content-Type: expected one of [application/json] but found application/x-www-form-urlencoded");

        Answer bad = post("/v2/models/reg/infer", request(tensor("input-0", "FP64", "[3, 3]", "[1,2,3,4,5,6,7,8,9]")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/json");
        assertThat(bad.body().propertyNames()).containsExactly("error");
        assertThat(bad.body().get("error").stringValue())
                .isEqualTo("inputs[0].shape: expected [B, 2] but found [3, 3]");
    }

    // ---- helpers ----

    /** Seeded rows of {@code width} values in [-2, 2]. */
    private static double[][] rows(int count, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[count][width];
        for (double[] row : rows) {
            for (int i = 0; i < width; i++) {
                row[i] = 4 * random.nextDouble() - 2;
            }
        }
        return rows;
    }

    private static String flat(double[][] rows) {
        List<String> values = new ArrayList<>();
        for (double[] row : rows) {
            for (double v : row) {
                values.add(Double.toString(v));
            }
        }
        return "[" + String.join(", ", values) + "]";
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private JsonNode postOk(String path, String json) {
        Answer answer = post(path, json);
        assertThat(answer.status()).as("%s: %s", path, answer.body()).isEqualTo(200);
        return answer.body();
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

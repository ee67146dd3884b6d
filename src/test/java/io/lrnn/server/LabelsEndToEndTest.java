package io.lrnn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Version labels and the traffic split over real HTTP (embedded H2): set behind the API key, used
 * by the native API and the Open Inference Protocol, and a 90/10 split over many request ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "lrnn.security.api-key=" + LabelsEndToEndTest.KEY)
class LabelsEndToEndTest {

    static final String KEY = "labels-key";
    static final String[] AUTH = {"Authorization", "Bearer " + KEY};
    static final String ROW = "{\"instances\": [[0.25, -0.5, 1.0], [0.0, 0.1, -0.1]]}";
    static final String TENSOR = "{\"inputs\": [{\"name\": \"input-0\", \"shape\": [2, 3], \"datatype\": \"FP64\", "
            + "\"data\": [0.25, -0.5, 1.0, 0.0, 0.1, -0.1]}]}";
    static final DMatrixRMaj ROWS = new DMatrixRMaj(new double[][] {{0.25, -0.5, 1.0}, {0.0, 0.1, -0.1}});

    @TempDir
    static Path modelDirectory;

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        registry.add("lrnn.models.directory", modelDirectory::toString);
    }

    @LocalServerPort
    int port;

    HttpTestClient client;

    @BeforeEach
    void client() {
        client = new HttpTestClient(port);
    }

    @Test
    void aLabelAnswersWhereverAVersionDoesOnTheNativeApiAndV2() {
        Model v1 = TestModels.regression(31);
        Model v2 = TestModels.regression(32);
        upload("lab", "1", v1);
        upload("lab", "2", v2);

        HttpTestClient.Response unauthorised = client.putJson("/api/v1/models/lab/labels/stable", "{\"version\": \"1\"}");
        assertThat(unauthorised.status()).as("labels are management: behind the key").isEqualTo(401);
        HttpTestClient.Response stable = client.putJson("/api/v1/models/lab/labels/stable", "{\"version\": \"1\"}", AUTH);
        assertThat(stable.status()).as(stable.raw()).isEqualTo(200);
        assertThat(stable.body().get("labels").get("stable").asString()).isEqualTo("1");
        assertThat(client.putJson("/api/v1/models/lab/labels/canary", "{\"version\": \"2\"}", AUTH).status())
                .isEqualTo(200);
        JsonNode model = client.get("/api/v1/models/lab", AUTH).body();
        assertThat(model.get("labels").propertyNames()).containsExactly("canary", "stable");
        assertThat(model.get("labels").get("canary").asString()).isEqualTo("2");
        assertThat(model.get("traffic").isNull()).isTrue();

        // Native: the label in the path, or as ?label= (predict is open without the key).
        assertPredicts(client.postJson("/api/v1/models/lab/versions/stable/predict", ROW), "1", v1);
        assertPredicts(client.postJson("/api/v1/models/lab/versions/canary/predict", ROW), "2", v2);
        assertPredicts(client.postJson("/api/v1/models/lab/predict?label=stable", ROW), "1", v1);
        assertPredicts(client.postJson("/api/v1/models/lab/predict", ROW), "2", v2);
        assertThat(client.get("/api/v1/models/lab/versions/stable", AUTH).body().get("version").asString())
                .isEqualTo("1");
        assertProblem(client.postJson("/api/v1/models/lab/versions/2/predict?label=stable", ROW), 400,
                "label: expected a version in the path or a label, not both, but found version 2 and label stable");
        assertProblem(client.postJson("/api/v1/models/lab/predict?label=2", ROW), 404,
                "model lab has no label 2 (labels: canary, stable)");
        assertProblem(client.postJson("/api/v1/models/lab/versions/beta/predict", ROW), 404,
                "model lab has no version or label beta (versions: 1, 2; labels: canary, stable)");

        // V2: model_version may be a label; the answer names the version.
        HttpTestClient.Response inferred = client.postJson("/v2/models/lab/versions/stable/infer", TENSOR);
        assertThat(inferred.status()).as(inferred.raw()).isEqualTo(200);
        assertThat(inferred.body().get("model_version").asString()).isEqualTo("1");
        JsonNode byVersion = client.postJson("/v2/models/lab/versions/1/infer", TENSOR).body();
        assertThat(inferred.body().get("outputs")).isEqualTo(byVersion.get("outputs"));
        assertThat(inferred.body().get("outputs").get(0).get("data").get(0).asDouble()).isEqualTo(v1.predict(ROWS).get(0, 0));
        assertThat(client.postJson("/v2/models/lab/versions/canary/infer", TENSOR).body().get("model_version").asString())
                .isEqualTo("2");
        assertThat(client.get("/v2/models/lab/versions/canary").status()).isEqualTo(200);
        assertThat(client.get("/v2/models/lab/versions/canary/ready").body().get("ready").asBoolean()).isTrue();
        HttpTestClient.Response missing = client.postJson("/v2/models/lab/versions/beta/infer", TENSOR);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error").asString())
                .isEqualTo("model lab has no version or label beta (versions: 1, 2; labels: canary, stable)");

        // The rules: a bad name, a collision, a labelled version, an unknown version.
        assertProblem(client.putJson("/api/v1/models/lab/labels/.hidden", "{\"version\": \"1\"}", AUTH), 400,
                "label: expected 1 to 64 letters, digits, '.', '_' or '-' (not starting with '.' or '-') but found "
                        + "'.hidden'");
        assertProblem(client.putJson("/api/v1/models/lab/labels/2", "{\"version\": \"1\"}", AUTH), 409,
                "model lab has a version 2; a label cannot take a version's name");
        assertProblem(client.putJson("/api/v1/models/lab/labels/beta", "{\"version\": \"7\"}", AUTH), 404,
                "model lab has no version 7 (versions: 1, 2)");
        assertProblem(client.putJson("/api/v1/models/lab/labels/beta", "{}", AUTH), 400,
                "version: expected a version of model lab but found none");
        assertProblem(client.delete("/api/v1/models/lab/versions/2", AUTH), 409,
                "model lab version 2 is named by the label canary; point them at another version or delete them first");
        assertThat(client.delete("/api/v1/models/lab/labels/canary", AUTH).status()).isEqualTo(204);
        assertProblem(client.delete("/api/v1/models/lab/labels/canary", AUTH), 404,
                "model lab has no label canary (labels: stable)");
        assertThat(client.delete("/api/v1/models/lab/versions/2", AUTH).status()).isEqualTo(204);
    }

    @Test
    void aNinetyTenSplitSharesRequestsByIdAndOneIdAlwaysLandsOnOneVersion() {
        Model v1 = TestModels.regression(41);
        Model v2 = TestModels.regression(42);
        upload("split", "1", v1);
        upload("split", "2", v2);
        client.putJson("/api/v1/models/split/labels/stable", "{\"version\": \"1\"}", AUTH);
        client.putJson("/api/v1/models/split/labels/canary", "{\"version\": \"2\"}", AUTH);

        assertProblem(client.putJson("/api/v1/models/split/traffic", "{\"split\": {\"stable\": 90, \"canary\": 9}}",
                AUTH), 400, "split: expected weights adding up to 100 but found 99 {stable=90, canary=9}");
        assertProblem(client.putJson("/api/v1/models/split/traffic", "{\"split\": {\"stable\": 90, \"beta\": 10}}",
                AUTH), 400, "split: expected labels of model split (labels: canary, stable) but found beta");
        assertProblem(client.putJson("/api/v1/models/split/traffic", "{\"split\": {\"stable\": 90.5, \"canary\": 9.5}}",
                AUTH), 400, "split.stable: expected a whole number from 0 to 100 but found 90.5");
        assertProblem(client.putJson("/api/v1/models/split/traffic", "{}", AUTH), 400,
                "split: expected two labels with their weights but found 0 []");
        assertProblem(client.putJson("/api/v1/models/nope/traffic", "{\"split\": {\"stable\": 90, \"canary\": 10}}",
                AUTH), 404, "no model named nope");
        HttpTestClient.Response set = client.putJson("/api/v1/models/split/traffic",
                "{\"split\": {\"stable\": 90, \"canary\": 10}}", AUTH);
        assertThat(set.status()).as(set.raw()).isEqualTo(200);
        assertThat(set.body().get("traffic").get("split").get("canary").asInt()).isEqualTo(10);
        assertThat(set.body().get("traffic").get("split").get("stable").asInt()).isEqualTo(90);
        assertProblem(client.delete("/api/v1/models/split/labels/canary", AUTH), 409,
                "model split label canary is part of the traffic split; change or delete the split first");

        Map<String, String> answered = new HashMap<>();
        int canary = 0;
        for (int i = 0; i < 2000; i++) {
            String id = "req-" + i;
            HttpTestClient.Response r = client.postJson("/api/v1/models/split/predict", ROW, "X-Request-Id", id);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            String version = r.body().get("version").asString();
            assertPredicts(r, version, version.equals("1") ? v1 : v2);
            answered.put(id, version);
            canary += version.equals("2") ? 1 : 0;
        }
        // n p = 200, sd 13.4; 198 is what the SHA-256 buckets of these ids give (TrafficSplitTest).
        assertThat(canary).isBetween(140, 260).isEqualTo(198);
        for (int i = 0; i < 2000; i += 40) {
            String id = "req-" + i;
            assertThat(client.postJson("/api/v1/models/split/predict", ROW, "X-Request-Id", id).body().get("version")
                    .asString()).as("native again, %s", id).isEqualTo(answered.get(id));
            assertThat(client.postJson("/v2/models/split/infer", TENSOR, "X-Request-Id", id).body().get("model_version")
                    .asString()).as("V2, %s", id).isEqualTo(answered.get(id));
        }
        assertThat(client.postJson("/api/v1/models/split/versions/1/predict", ROW, "X-Request-Id", "order-42").body()
                .get("version").asString()).as("a version named wins over the split").isEqualTo("1");

        int withoutId = 0;
        for (int i = 0; i < 300; i++) {
            withoutId += client.postJson("/api/v1/models/split/predict", ROW).body().get("version").asString()
                    .equals("2") ? 1 : 0;
        }
        assertThat(withoutId).as("random without an id: both answer (all one way: p < 1e-13)").isBetween(1, 299);

        assertThat(client.delete("/api/v1/models/split/traffic", AUTH).status()).isEqualTo(204);
        assertThat(client.postJson("/api/v1/models/split/predict", ROW, "X-Request-Id", "order-42").body()
                .get("version").asString()).as("the default version again").isEqualTo("2");
        assertThat(client.postJson("/api/v1/models/split/predict", ROW, "X-Request-Id", "req-1").body()
                .get("version").asString()).isEqualTo("2");
        assertProblem(client.delete("/api/v1/models/split/traffic", AUTH), 404, "model split has no traffic split");
    }

    private void upload(String name, String version, Model model) {
        HttpTestClient.Response response = client.putMultipart("/api/v1/models/" + name + "/versions/" + version,
                Map.of("model", TestModels.json(model), "weights", TestModels.weights(model)), AUTH);
        assertThat(response.status()).as(response.raw()).isEqualTo(201);
    }

    private static void assertProblem(HttpTestClient.Response response, int status, String detail) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().get("detail").asString()).isEqualTo(detail);
    }

    /** The answer comes from {@code version} and its values are that model's, bit for bit. */
    private static void assertPredicts(HttpTestClient.Response response, String version, Model model) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().get("version").asString()).isEqualTo(version);
        DMatrixRMaj expected = model.predict(ROWS);
        JsonNode predictions = response.body().get("predictions");
        for (int b = 0; b < ROWS.numRows; b++) {
            for (int k = 0; k < model.outputs().size(); k++) {
                assertThat(predictions.get(b).get(model.outputs().get(k)).asDouble()).isEqualTo(expected.get(b, k));
            }
        }
    }
}

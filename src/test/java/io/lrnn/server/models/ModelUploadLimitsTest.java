package io.lrnn.server.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.DenseActivation;
import io.lrnn.engine.DenseLayerSpec;
import io.lrnn.engine.Model;
import io.lrnn.engine.Network;
import io.lrnn.engine.NetworkSpec;
import io.lrnn.engine.Task;
import io.lrnn.engine.io.ModelFiles;
import io.lrnn.engine.io.SafeTensors;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.TestModels;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Uploads over the real HTTP stack: model limits answered as 400s naming the field before the
 * declared sizes are allocated, files stored as sent, and a stored version that cannot load
 * reported, left out of serving and deletable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.models.directory=target/no-such-models-directory",
        "lrnn.models.sync-interval=1h",
        "lrnn.predict.max-batch=2",
        "lrnn.models.max-layer-working-set=100GB",
        // A few hundred kB to a few MB of the test JVM's heap: small models fit, a 400,000-wide layer does not.
        "lrnn.models.predict-heap-share=0.0001"})
class ModelUploadLimitsTest {

    static final String HUGE_DENSE = """
            {"format": "lrnn-model", "formatVersion": 1, "task": "regression", "inputs": ["x"], "outputs": ["y"],
             "layers": [{"type": "dense", "width": 30000, "activation": "tanh"},
                        {"type": "dense", "width": 30000, "activation": "tanh"}]}""";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ModelService service;

    HttpTestClient client;

    @BeforeEach
    void client() {
        client = new HttpTestClient(port);
    }

    @Test
    void aTinyModelJsonDeclaringTwoDenseLayersOf30000IsA400NamingTheLayer() {
        HttpTestClient.Response response = client.putMultipart("/api/v1/models/huge/versions/1", Map.of(
                "model", HUGE_DENSE.getBytes(StandardCharsets.UTF_8), "weights", new byte[8]));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/invalid-model");
        assertThat(response.body().get("detail").asString()).isEqualTo("model.json: layers[1].width: expected at "
                + "most 50000000 parameters in the network (lrnn.models.max-parameters) but found 900090000 up to "
                + "this layer, 900030000 of them in this one (dense width 30000 on 30000 inputs)");
        assertThat(client.get("/api/v1/models/huge").status()).isEqualTo(404);
        assertThat(stored("huge")).isZero();
    }

    @Test
    void aVersionWhoseFullPredictBatchCannotFitIsRefusedWithTheEstimateAndTheBudget() {
        NetworkSpec wide = new NetworkSpec(1, List.of(new DenseLayerSpec(400_000, DenseActivation.TANH)), 1,
                Task.REGRESSION);
        String json = new String(ModelFiles.toJson(new Model(Network.initialize(new NetworkSpec(1,
                List.of(new DenseLayerSpec(1, DenseActivation.TANH)), 1, Task.REGRESSION), 1), List.of("x"),
                List.of("y"), null, null)), StandardCharsets.UTF_8).replace("\"width\" : 1,", "\"width\" : 400000,");
        assertThat(json).contains("400000");
        HttpTestClient.Response response = client.putMultipart("/api/v1/models/wide/versions/1", Map.of(
                "model", json.getBytes(StandardCharsets.UTF_8), "weights", new byte[8]));
        assertThat(response.status()).isEqualTo(400);
        String detail = response.body().get("detail").asString();
        assertThat(detail).startsWith("model.json: layers: expected a full predict batch (2 rows) to need at most ")
                .contains("of working memory (lrnn.models.predict-heap-share 1.0E-4 of the heap; rows: "
                        + "lrnn.predict.max-batch) but found about ")
                .endsWith("(" + io.lrnn.engine.Footprint.predictBytes(wide, 2) + " bytes)");
        assertThat(stored("wide")).isZero();
    }

    @Test
    void anF32UploadIsStoredByteForByteAsSentAndServes() {
        Model model = TestModels.regression(5);
        byte[] json = ModelFiles.toJson(model);
        byte[] weights = ModelFiles.toSafeTensors(model, SafeTensors.DType.F32);
        HttpTestClient.Response response = client.putMultipart("/api/v1/models/f32/versions/1",
                Map.of("model", json, "weights", weights));
        assertThat(response.status()).isEqualTo(201);
        Map<String, Object> row = jdbc.sql("SELECT model_json, weights FROM model_versions WHERE name = 'f32'")
                .query().singleRow();
        assertThat((byte[]) row.get("weights")).isEqualTo(weights);
        assertThat((byte[]) row.get("model_json")).isEqualTo(json);
        HttpTestClient.Response predicted = client.postJson("/api/v1/models/f32/predict",
                "{\"instances\": [[0.25, -0.5, 1.0]]}");
        assertThat(predicted.status()).isEqualTo(200);
        double[] expected = new double[2];
        ModelFiles.read(json, weights).predictRow(new double[] {0.25, -0.5, 1.0}, expected);
        assertThat(predicted.body().get("predictions").get(0).get("y1").asDouble()).isEqualTo(expected[0]);
    }

    @Test
    void aStoredVersionThatCannotLoadIsListedNotServedKeepsReadinessAndCanBeDeleted() {
        Model good = TestModels.regression(6);
        assertThat(client.putMultipart("/api/v1/models/mixed/versions/1",
                Map.of("model", ModelFiles.toJson(good), "weights", TestModels.weights(good))).status()).isEqualTo(201);
        // Another replica (or an older release) stored files this one cannot load.
        insert("mixed", "2", HUGE_DENSE.getBytes(StandardCharsets.UTF_8), new byte[8]);
        insert("broken", "7", "{not json".getBytes(StandardCharsets.UTF_8), new byte[8]);
        service.sync();

        JsonNode mixed = client.get("/api/v1/models/mixed").body();
        assertThat(mixed.get("defaultVersion").asString()).isEqualTo("1");
        assertThat(mixed.get("versions").findValuesAsString("version")).containsExactly("1");
        assertThat(mixed.get("notLoaded").get(0).get("version").asString()).isEqualTo("2");
        assertThat(mixed.get("notLoaded").get(0).get("source").asString()).isEqualTo("store");
        assertThat(mixed.get("notLoaded").get(0).get("reason").asString())
                .startsWith("model.json: layers[1].width: expected at most 50000000 parameters");
        assertThat(client.postJson("/api/v1/models/mixed/predict", "{\"instances\": [[0.25, -0.5, 1.0]]}").status())
                .isEqualTo(200);

        JsonNode broken = client.get("/api/v1/models/broken").body();
        assertThat(broken.get("versions").size()).isZero();
        assertThat(broken.get("notLoaded").get(0).get("reason").asString())
                .startsWith("model.json: expected a JSON object but found invalid JSON");
        assertThat(client.get("/api/v1/models").body().findValuesAsString("name")).contains("broken", "mixed");
        assertThat(client.postJson("/api/v1/models/broken/predict", "{\"instances\": [[1]]}").status()).isEqualTo(404);

        HttpTestClient.Response ready = client.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        JsonNode details = ready.body().get("components").get("models").get("details");
        assertThat(details.get("notLoaded").asInt()).isEqualTo(2);
        assertThat(details.get("loadErrors").get(0).asString()).startsWith("broken/7: model.json: ");

        assertThat(client.putMultipart("/api/v1/models/broken/versions/7",
                Map.of("model", ModelFiles.toJson(good), "weights", TestModels.weights(good))).status())
                .as("the version exists, loaded or not").isEqualTo(409);
        assertThat(client.delete("/api/v1/models/broken/versions/7").status()).isEqualTo(204);
        assertThat(client.delete("/api/v1/models/mixed/versions/2").status()).isEqualTo(204);
        assertThat(stored("broken")).isZero();
        assertThat(client.get("/api/v1/models/broken").status()).isEqualTo(404);
        assertThat(client.get("/api/v1/models/mixed").body().get("notLoaded").size()).isZero();
        service.sync();
        assertThat(client.get("/readyz").body().get("components").get("models").get("details").get("notLoaded")
                .asInt()).isZero();
    }

    private void insert(String name, String version, byte[] json, byte[] weights) {
        jdbc.sql("INSERT INTO model_versions (name, version, model_json, weights, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(name, version, json, weights, OffsetDateTime.now()).update();
    }

    private int stored(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM model_versions WHERE name = ?").param(name).query(Integer.class).single();
    }
}

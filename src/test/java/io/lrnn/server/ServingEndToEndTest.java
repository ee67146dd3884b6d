package io.lrnn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.Model;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The real HTTP stack: upload model versions, predict, swap versions under load, delete. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServingEndToEndTest {

    @TempDir
    static Path modelDirectory;

    static final String ROW = "{\"instances\": [[0.25, -0.5, 1.0], [0.0, 0.1, -0.1]]}";
    static final DMatrixRMaj ROWS = new DMatrixRMaj(new double[][] {{0.25, -0.5, 1.0}, {0.0, 0.1, -0.1}});

    @DynamicPropertySource
    static void directories(DynamicPropertyRegistry registry) {
        TestModels.write(modelDirectory, "fixed", "1", TestModels.regression(100));
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
    void uploadedVersionsServeTheEngineNumbersAndABadUploadChangesNothing() {
        Model v1 = TestModels.regression(1);
        assertThat(upload("e2e", "1", v1).status()).isEqualTo(201);
        assertPredictsLike(client.postJson("/api/v1/models/e2e/predict", ROW), "1", v1);

        Model v2 = TestModels.regression(2);
        byte[] truncated = java.util.Arrays.copyOf(TestModels.weights(v2), 100);
        HttpTestClient.Response rejected = client.putMultipart("/api/v1/models/e2e/versions/2",
                Map.of("model", TestModels.json(v2), "weights", truncated));
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().get("detail").asString()).startsWith("weights.safetensors: ");
        assertPredictsLike(client.postJson("/api/v1/models/e2e/predict", ROW), "1", v1);
        assertThat(client.get("/api/v1/models/e2e").body().get("versions").size()).isEqualTo(1);

        assertThat(upload("e2e", "2", v2).status()).isEqualTo(201);
        assertThat(upload("e2e", "2", v2).status()).as("same version twice").isEqualTo(409);
        assertPredictsLike(client.postJson("/api/v1/models/e2e/predict", ROW), "2", v2);
        assertPredictsLike(client.postJson("/api/v1/models/e2e/versions/1/predict", ROW), "1", v1);

        assertThat(client.putJson("/api/v1/models/e2e/default-version", "{\"version\": \"1\"}").status()).isEqualTo(200);
        assertPredictsLike(client.postJson("/api/v1/models/e2e/predict", ROW), "1", v1);

        assertThat(client.delete("/api/v1/models/e2e/versions/1").status()).isEqualTo(204);
        assertThat(client.postJson("/api/v1/models/e2e/versions/1/predict", ROW).status()).isEqualTo(404);
        assertPredictsLike(client.postJson("/api/v1/models/e2e/predict", ROW), "2", v2);
        assertThat(client.get("/api/v1/models/e2e").body().get("versions").findValuesAsString("version"))
                .containsExactly("2");
    }

    @Test
    void modelsFromTheDirectoryServeAndAreReadOnly() {
        assertPredictsLike(client.postJson("/api/v1/models/fixed/predict", ROW), "1", TestModels.regression(100));
        HttpTestClient.Response delete = client.delete("/api/v1/models/fixed/versions/1");
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.body().get("detail").asString()).contains("read-only");
    }

    @Test
    void swappingVersionsUnderLoadNeverFailsAndEveryAnswerComesFromOneWholeVersion() throws Exception {
        Map<String, Model> versions = new ConcurrentHashMap<>();
        versions.put("1", TestModels.regression(11));
        assertThat(upload("swap", "1", versions.get("1")).status()).isEqualTo(201);
        SwapUnderLoad.run(6, caller -> {
            HttpTestClient.Response r = client.postJson("/api/v1/models/swap/predict", ROW);
            return r.status() == 200 && matches(r.body(), versions.get(r.body().get("version").asString()));
        }, () -> {
            for (int v = 2; v <= 6; v++) {
                Model model = TestModels.regression(10 + v);
                versions.put(Integer.toString(v), model);
                assertThat(upload("swap", Integer.toString(v), model).status()).isEqualTo(201);
                if (v % 2 == 0) {
                    client.putJson("/api/v1/models/swap/default-version", "{\"version\": \"" + (v - 1) + "\"}");
                }
                Thread.sleep(100);
            }
        });
    }

    private HttpTestClient.Response upload(String name, String version, Model model) {
        return client.putMultipart("/api/v1/models/" + name + "/versions/" + version,
                Map.of("model", TestModels.json(model), "weights", TestModels.weights(model)));
    }

    private static void assertPredictsLike(HttpTestClient.Response response, String version, Model model) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().get("version").asString()).isEqualTo(version);
        assertThat(matches(response.body(), model)).as("predictions of version %s", version).isTrue();
    }

    /** Whether every predicted value is the engine's own, bit for bit. */
    private static boolean matches(JsonNode body, Model model) {
        if (model == null) {
            return false;
        }
        DMatrixRMaj expected = model.predict(ROWS);
        JsonNode predictions = body.get("predictions");
        for (int b = 0; b < ROWS.numRows; b++) {
            for (int k = 0; k < model.outputs().size(); k++) {
                if (predictions.get(b).get(model.outputs().get(k)).asDouble() != expected.get(b, k)) {
                    return false;
                }
            }
        }
        return true;
    }
}

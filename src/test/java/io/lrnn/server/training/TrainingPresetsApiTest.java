package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import io.lrnn.server.common.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/training-presets} over real HTTP: the presets' values as docs/api.md states
 * them, and what a job that names only the preset is given.
 */
@QueueOnlyServer
class TrainingPresetsApiTest {

    @LocalServerPort
    int port;

    @AfterEach
    void emptyQueue() {
        new TrainingApi(port).cancelQueued();
    }

    JsonNode presets() {
        HttpTestClient.Response answer = new HttpTestClient(port).get("/api/v1/training-presets");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body();
    }

    @Test
    void theDefaultPresetComesFirstWithTheDocumentedValues() {
        JsonNode presets = presets();
        List<String> names = new ArrayList<>();
        presets.forEach(p -> names.add(p.get("name").asString()));
        assertThat(names).containsExactly("tabular", "signal");
        assertThat(presets.get(0).get("isDefault").asBoolean()).isTrue();
        assertThat(presets.get(1).get("isDefault").asBoolean()).isFalse();

        JsonNode tabular = presets.get(0);
        assertThat(tabular.get("architecture").get("layers")).hasSize(1);
        JsonNode layer = tabular.get("architecture").get("layers").get(0);
        assertThat(layer.get("type").asString()).isEqualTo("lrnn");
        assertThat(layer.get("width").asInt()).isEqualTo(32);
        assertThat(layer.get("projection").asInt()).isEqualTo(4);
        assertThat(layer.get("hidden").asInt()).isEqualTo(8);
        assertThat(layer.get("activation").asString()).isEqualTo("sin");
        assertThat(layer.get("omega").asDouble()).isEqualTo(1.0);
        assertThat(layer.get("layerNorm").asBoolean()).isTrue();
        JsonNode training = tabular.get("training");
        assertThat(training.get("epochs").asInt()).isEqualTo(200);
        assertThat(training.get("batchSize").asInt()).isEqualTo(128);
        assertThat(training.get("learningRate").asDouble()).isEqualTo(3e-3);
        assertThat(training.get("schedule").asString()).isEqualTo("cosine");
        assertThat(training.get("validationSplit").asDouble()).isEqualTo(0.2);
        assertThat(training.get("earlyStoppingPatience").asInt()).isEqualTo(20);
        assertThat(training.get("seed").asLong()).isEqualTo(42);
        assertThat(training.has("maxDuration")).as("a server setting, not a preset's").isFalse();

        JsonNode signal = presets.get(1);
        assertThat(signal.get("architecture")).isEqualTo(asSent(Presets.architecture("signal")));
        assertThat(signal.get("training")).isEqualTo(asSent(Presets.training("signal", null)));
    }

    /** {@code value} as JSON text read back, so numbers compare as the answer's do. */
    static JsonNode asSent(Object value) {
        return Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(value));
    }

    /** The endpoint and a job agree: a request naming only the preset resolves to the values listed. */
    @Test
    void aJobThatNamesOnlyThePresetIsGivenTheListedValues() {
        TrainingApi api = new TrainingApi(port);
        String dataset = api.datasetId("preset-rows", TrainingApiTest.CSV);
        for (JsonNode preset : presets()) {
            String id = api.submitted("{\"modelName\": \"preset-check\", \"datasetId\": \"" + dataset
                    + "\", \"features\": [\"x1\", \"x2\"], \"targets\": [\"y\"], \"task\": \"regression\", "
                    + "\"preset\": \"" + preset.get("name").asString() + "\"}");
            JsonNode resolved = api.job(id).get("request");
            assertThat(resolved.get("architecture")).as(preset.get("name").asString())
                    .isEqualTo(preset.get("architecture"));
            ObjectNode training = (ObjectNode) resolved.get("training").deepCopy();
            training.remove("maxDuration");
            assertThat(training).as(preset.get("name").asString()).isEqualTo(preset.get("training"));
        }
    }
}

package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.engine.io.ModelJson;
import io.lrnn.server.HttpTestClient;
import io.lrnn.server.common.Json;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A newcomer's path over real HTTP on the embedded H2 store: upload a table, train, poll, predict,
 * train again; classification with text labels, divergence, inline data, cancellation.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lrnn.jobs.workers=1", "lrnn.jobs.threads-per-job=2", "lrnn.jobs.heartbeat-interval=200ms",
        "lrnn.jobs.poll-interval=200ms"})
class TrainingEndToEndTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final double[][] TABLE = TrainingApi.products(500, 11);
    /** Points away from the axes, where a model that has not learned x1 * x2 is far off. */
    static final double[][] PROBES = {{0.8, 0.7}, {-0.75, 0.6}, {0.9, -0.85}, {-0.6, -0.9}, {0.5, 0.5}};
    static final double TOLERANCE = 0.15;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    TrainingApi api;

    @BeforeEach
    void client() {
        api = new TrainingApi(port);
    }

    static String regression(String model, String source, int epochs) {
        return "{\"modelName\": \"" + model + "\", " + source + ", \"targets\": [\"y\"], \"task\": \"regression\", "
                + "\"training\": {\"epochs\": " + epochs + ", \"batchSize\": 50, \"learningRate\": 0.01, "
                + "\"validationSplit\": 0, \"seed\": 7}}";
    }

    JsonNode predict(String model, double[][] points) {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < points.length; i++) {
            body.append(i == 0 ? "" : ", ").append("{\"x1\": ").append(points[i][0]).append(", \"x2\": ")
                    .append(points[i][1]).append('}');
        }
        HttpTestClient.Response answer = api.http.postJson("/api/v1/models/" + model + "/predict", body + "]}");
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body();
    }

    /** The largest |prediction - x1 * x2| over the probes. */
    double worstError(String model) {
        JsonNode predictions = predict(model, PROBES).get("predictions");
        double worst = 0;
        for (int i = 0; i < PROBES.length; i++) {
            worst = Math.max(worst, Math.abs(predictions.get(i).get("y").asDouble() - PROBES[i][0] * PROBES[i][1]));
        }
        return worst;
    }

    @Test
    void uploadTrainPollPredictAndTrainAgain() throws Exception {
        JsonNode dataset = api.uploadCsv("products", TrainingApi.productsCsv(TABLE)).body();
        String source = "\"datasetId\": \"" + dataset.get("id").asString() + "\"";
        String id = api.submitted(regression("product", source, 25));

        JsonNode job = api.awaitState(id, DEADLINE, "SUCCEEDED");
        JsonNode progress = job.get("progress");
        assertThat(progress.get("totalSteps").asLong()).isEqualTo(10 * 25);
        assertThat(progress.get("step").asLong()).isEqualTo(progress.get("totalSteps").asLong());
        assertThat(progress.get("epoch").asInt()).isEqualTo(25);
        assertThat(progress.get("trainLoss").isNumber()).as("finite: %s", progress).isTrue();
        assertThat(progress.get("trainLoss").asDouble()).isLessThan(0.1);
        assertThat(progress.get("etaSeconds").asDouble()).isZero();
        JsonNode history = job.get("history");
        assertThat(history.size()).isBetween(2, ProgressLog.MAX_HISTORY);
        history.forEach(point -> assertThat(point.get("trainLoss").isNumber()).as("%s", point).isTrue());
        assertThat(history.get(history.size() - 1).get("step").asLong()).isEqualTo(250);
        assertThat(job.get("result").get("modelName").asString()).isEqualTo("product");
        assertThat(job.get("result").get("version").asString()).isEqualTo("1");
        assertThat(job.get("attempt").asInt()).isEqualTo(1);
        assertThat(job.has("error")).isFalse();
        assertThat(job.get("startedAt").asString()).isNotNull();
        assertThat(job.get("finishedAt").asString()).isGreaterThanOrEqualTo(job.get("startedAt").asString());

        assertThat(predict("product", PROBES).get("version").asString()).isEqualTo("1");
        assertThat(worstError("product")).isLessThan(TOLERANCE);

        JsonNode untrained = api.awaitState(api.submitted(regression("product-untrained", source, 1)
                .replace("\"epochs\": 1,", "\"epochs\": 1, \"maxSteps\": 1,")), DEADLINE, "SUCCEEDED");
        assertThat(untrained.get("progress").get("step").asLong()).isEqualTo(1);
        assertThat(worstError("product-untrained")).as("the tolerance tells a trained model apart")
                .isGreaterThan(TOLERANCE);

        JsonNode again = api.awaitState(api.submitted(regression("product", source, 5)), DEADLINE, "SUCCEEDED");
        assertThat(again.get("result").get("version").asString()).isEqualTo("2");
        assertThat(predict("product", PROBES).get("version").asString()).isEqualTo("2");
        assertThat(api.http.get("/api/v1/models/product").body().get("versions").findValuesAsString("version"))
                .containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void theModelVersionRecordsTheDataSetDigestAndTheResolvedRequest() throws Exception {
        JsonNode dataset = api.uploadCsv("provenance", TrainingApi.productsCsv(TrainingApi.products(100, 3))).body();
        String id = api.submitted(regression("traced", "\"datasetId\": \"" + dataset.get("id").asString() + "\"", 2));
        JsonNode job = api.awaitState(id, DEADLINE, "SUCCEEDED");

        HttpTestClient.Response version = api.http.get("/api/v1/models/traced/versions/1");
        assertThat(version.status()).as(version.raw()).isEqualTo(200);
        JsonNode provenance = version.body().get("provenance");
        assertThat(provenance.get("datasetDigest").asString()).isEqualTo(dataset.get("digest").asString());
        assertThat(provenance.get("config").get("request")).isEqualTo(job.get("request"));
        assertThat(provenance.get("config").get("request").get("datasetId").asString())
                .isEqualTo(dataset.get("id").asString());
        assertThat(provenance.get("trainedBy").asString()).contains(id);
        assertThat(provenance.get("createdAt").asString()).isNotBlank();

        // The model.json as stored: engine and format versions, and every setting the trainer used.
        JsonNode stored = Json.MAPPER.readTree(jdbc.sql("SELECT model_json FROM model_versions WHERE name = 'traced' "
                + "AND version = '1'").query(byte[].class).single());
        JsonNode config = stored.get("provenance").get("config");
        assertThat(config.get("formatVersion").asInt()).isEqualTo(ModelJson.FORMAT_VERSION);
        assertThat(config.get("engineVersion").asString()).isNotBlank().isNotEqualTo(TrainingJobHandler.UNKNOWN_VERSION);
        JsonNode trainer = config.get("trainer");
        assertThat(trainer.propertyNames()).contains("epochs", "maxSteps", "batchSize", "learningRate", "schedule",
                "weightDecay", "validationSplit", "earlyStoppingPatience", "seed", "rows", "threads",
                "standardizeTargets", "progressEvery", "maxDuration");
        assertThat(trainer.get("seed").asLong()).isEqualTo(7);
        assertThat(trainer.get("batchSize").asInt()).isEqualTo(50);
        assertThat(trainer.get("threads").asInt()).isEqualTo(2);
        assertThat(trainer.get("rows").asInt()).isEqualTo(100);
        assertThat(trainer.get("maxDuration").asString()).isEqualTo("PT1H");
        assertThat(config.get("request")).isEqualTo(job.get("request"));
    }

    @Test
    void aJobThatOutlivesItsMaxDurationFailsSayingSo() throws Exception {
        String dataset = api.datasetId("slow", TrainingApi.productsCsv(TABLE));
        String id = api.submitted("{\"modelName\": \"slow\", \"datasetId\": \"" + dataset + "\", \"targets\": [\"y\"], "
                + "\"task\": \"regression\", \"training\": {\"epochs\": 2000, \"batchSize\": 1, "
                + "\"validationSplit\": 0, \"maxDuration\": \"1s\"}}");
        long started = System.nanoTime();
        JsonNode job = api.awaitState(id, DEADLINE, "FAILED", "SUCCEEDED");
        assertThat(job.get("state").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).startsWith("training stopped: it ran longer than its maxDuration of "
                + "PT1S (training.maxDuration, at most lrnn.jobs.max-duration)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped near its limit, not at 1M steps")
                .isLessThan(Duration.ofSeconds(30));
        assertThat(api.http.get("/api/v1/models/slow").status()).as("no version is kept").isEqualTo(404);
    }

    @Test
    void classificationWithTextLabelsPredictsLabels() throws Exception {
        String dataset = api.datasetId("signs", TrainingApi.signsCsv(TABLE));
        String id = api.submitted("{\"modelName\": \"signs\", \"datasetId\": \"" + dataset + "\", "
                + "\"targets\": [\"label\"], \"task\": \"classification\", "
                + "\"training\": {\"epochs\": 30, \"batchSize\": 50, \"learningRate\": 0.01, \"seed\": 5}}");
        JsonNode job = api.awaitState(id, DEADLINE, "SUCCEEDED");
        assertThat(job.get("progress").get("validationAccuracy").asDouble()).isGreaterThan(0.8);

        HttpTestClient.Response answer = api.http.postJson("/api/v1/models/signs/predict",
                TrainingApi.instances(TABLE, TABLE.length));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode predictions = answer.body().get("predictions");
        int correct = 0;
        for (int b = 0; b < TABLE.length; b++) {
            assertThat(predictions.get(b).get("probabilities").propertyNames()).containsExactly("neg", "pos");
            correct += predictions.get(b).get("label").asString().equals(TrainingApi.label(TABLE[b])) ? 1 : 0;
        }
        assertThat(correct / (double) TABLE.length).isGreaterThan(0.8);
    }

    @Test
    void aDivergingJobFailsWithTheReasonAndCreatesNoModel() throws Exception {
        String dataset = api.datasetId("for-divergence", TrainingApi.productsCsv(TrainingApi.products(100, 4)));
        String layer = "{\"type\": \"lrnn\", \"width\": 8, \"projection\": 64, \"hidden\": 1, "
                + "\"activation\": \"spder\", \"omega\": 1000, \"layerNorm\": false}";
        String id = api.submitted("{\"modelName\": \"diverging\", \"datasetId\": \"" + dataset + "\", "
                + "\"targets\": [\"y\"], \"task\": \"regression\", \"architecture\": {\"layers\": [" + layer + ", "
                + layer + "]}, \"training\": {\"epochs\": 5, \"learningRate\": 1.0, \"schedule\": \"constant\"}}");
        JsonNode job = api.awaitState(id, DEADLINE, "FAILED");
        assertThat(job.get("error").asString()).startsWith("training diverged at step ")
                .containsPattern("the training loss is (NaN|Infinity)").endsWith("try a lower learningRate or a smaller omega");
        assertThat(job.has("result")).isFalse();
        assertThat(job.get("attempt").asInt()).as("a failure is not retried").isEqualTo(1);
        assertThat(api.http.get("/api/v1/models/diverging").status()).isEqualTo(404);
    }

    @Test
    void inlineDataTrainsLikeAnUploadedDataSet() throws Exception {
        double[][] rows = TrainingApi.products(200, 21);
        StringBuilder data = new StringBuilder("{\"columns\": [\"x1\", \"x2\", \"y\"], \"rows\": [");
        for (int b = 0; b < rows.length; b++) {
            data.append(b == 0 ? "" : ", ").append('[').append(rows[b][0]).append(", ").append(rows[b][1])
                    .append(", ").append(rows[b][2]).append(']');
        }
        String id = api.submitted(regression("inline-product", "\"data\": " + data + "]}", 5));
        JsonNode job = api.awaitState(id, DEADLINE, "SUCCEEDED");
        assertThat(job.get("result").get("version").asString()).isEqualTo("1");

        JsonNode stored = api.http.get(TrainingApi.DATASETS + "/" + job.get("datasetId").asString()).body();
        assertThat(stored.get("name").asString()).isEqualTo("inline data for inline-product");
        assertThat(stored.get("rows").asInt()).isEqualTo(200);
        JsonNode uploaded = api.uploadCsv("same-rows", TrainingApi.productsCsv(rows)).body();
        assertThat(stored.get("digest").asString()).isEqualTo(uploaded.get("digest").asString());
        assertThat(api.http.get("/api/v1/models/inline-product/versions/1").body().get("provenance")
                .get("datasetDigest").asString()).isEqualTo(uploaded.get("digest").asString());
        assertThat(predict("inline-product", PROBES).get("predictions").size()).isEqualTo(PROBES.length);
    }

    @Test
    void cancellingARunningJobStopsItWithinSecondsAndCreatesNoModel() throws Exception {
        String dataset = api.datasetId("long", TrainingApi.productsCsv(TABLE));
        String id = api.submitted(regression("long-run", "\"datasetId\": \"" + dataset + "\"", 100_000));
        api.awaitState(id, DEADLINE, "RUNNING");

        JsonNode asked = api.cancel(id).body();
        assertThat(asked.get("cancelRequested").asBoolean()).isTrue();
        assertThat(asked.get("state").asString()).isIn("RUNNING", "CANCELLED");
        JsonNode job = api.awaitState(id, Duration.ofSeconds(5), "CANCELLED");
        assertThat(job.get("cancelRequested").asBoolean()).isTrue();
        assertThat(job.has("finishedAt")).isTrue();
        assertThat(job.has("error")).isFalse();
        assertThat(job.has("result")).isFalse();
        assertThat(api.http.get("/api/v1/models/long-run").status()).isEqualTo(404);

        String next = api.submitted(regression("after-cancel", "\"datasetId\": \"" + dataset + "\"", 1));
        assertThat(api.awaitState(next, DEADLINE, "SUCCEEDED").get("result").get("version").asString())
                .as("the worker is free again").isEqualTo("1");
    }
}

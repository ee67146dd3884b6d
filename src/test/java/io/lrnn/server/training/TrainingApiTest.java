package io.lrnn.server.training;

import static io.lrnn.server.training.TrainingApi.JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/training-jobs} over real HTTP with no workers: submit, validation, queue, list, cancel. */
@QueueOnlyServer
class TrainingApiTest {

    static final String CSV = "x1,x2,label,y\n0.5,-1,pos,1\n2,3.25,neg,2\n-4,0,pos,3\n1,1,neg,4\n";

    @LocalServerPort
    int port;

    TrainingApi api;
    String dataset;

    @BeforeEach
    void data() {
        api = new TrainingApi(port);
        dataset = api.datasetId("four-rows", CSV);
    }

    @AfterEach
    void emptyQueue() {
        api.cancelQueued();
    }

    /** A valid regression request on the four-row data set, with {@code extra} fields added. */
    String request(String model, String extra) {
        return "{\"modelName\": \"" + model + "\", \"datasetId\": \"" + dataset + "\", \"features\": [\"x1\", \"x2\"], "
                + "\"targets\": [\"y\"], \"task\": \"regression\"" + extra + "}";
    }

    @Test
    void submitAnswers202WithLocationAndTheQueuedJob() {
        HttpTestClient.Response first = api.submit(request("queued-a", ""));
        assertThat(first.status()).as(first.raw()).isEqualTo(202);
        JsonNode job = first.body();
        String id = job.get("id").asString();
        assertThat(first.header("Location")).hasValue("/api/v1/training-jobs/" + id);
        assertThat(job.get("state").asString()).isEqualTo("QUEUED");
        assertThat(job.get("queuePosition").asLong()).isEqualTo(1);
        assertThat(job.get("modelName").asString()).isEqualTo("queued-a");
        assertThat(job.get("datasetId").asString()).isEqualTo(dataset);
        assertThat(job.get("attempt").asInt()).isZero();
        assertThat(job.get("cancelRequested").asBoolean()).isFalse();
        assertThat(job.has("startedAt")).isFalse();
        assertThat(job.has("result")).isFalse();

        JsonNode second = api.submit(request("queued-b", "")).body();
        assertThat(second.get("queuePosition").asLong()).isEqualTo(2);

        JsonNode details = api.job(id);
        assertThat(details.get("createdAt").asString()).isEqualTo(job.get("createdAt").asString());
        JsonNode resolved = details.get("request");
        assertThat(resolved.get("preset").asString()).as("the default preset").isEqualTo("tabular");
        assertThat(resolved.get("training").get("epochs").asInt()).isEqualTo(200);
        assertThat(resolved.get("training").get("schedule").asString()).isEqualTo("cosine");
        assertThat(resolved.get("architecture").get("layers").get(0).get("width").asInt()).isEqualTo(32);
        assertThat(resolved.get("architecture").get("layers").get(0).get("omega").asDouble()).isEqualTo(1.0);
    }

    @Test
    void presetValuesAreOverriddenByTheRequestAndFeaturesDefaultToTheOtherColumns() {
        String id = api.submitted("{\"modelName\": \"mixed\", \"datasetId\": \"" + dataset + "\", "
                + "\"targets\": [\"label\"], \"task\": \"classification\", \"preset\": \"signal\", "
                + "\"architecture\": {\"layers\": [{\"type\": \"dense\", \"width\": 5}]}, "
                + "\"training\": {\"epochs\": 3, \"learningRate\": 0.01}}");
        JsonNode resolved = api.job(id).get("request");
        List<String> features = new ArrayList<>();
        resolved.get("features").forEach(f -> features.add(f.asString()));
        assertThat(features).containsExactly("x1", "x2", "y");
        assertThat(resolved.get("task").asString()).isEqualTo("classification");
        assertThat(resolved.get("training").get("epochs").asInt()).isEqualTo(3);
        assertThat(resolved.get("training").get("learningRate").asDouble()).isEqualTo(0.01);
        assertThat(resolved.get("training").get("batchSize").asInt()).as("from the signal preset").isEqualTo(1024);
        JsonNode layer = resolved.get("architecture").get("layers").get(0);
        assertThat(layer.get("activation").asString()).isEqualTo("tanh");
        assertThat(layer.has("projection")).isFalse();
        assertThat(resolved.has("data")).isFalse();

        HttpTestClient.Response text = api.submit("{\"modelName\": \"m\", \"datasetId\": \"" + dataset
                + "\", \"targets\": [\"y\"], \"task\": \"regression\"}");
        assertThat(text.status()).as("label is text, so it cannot be a default feature").isEqualTo(400);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameJob() {
        int before = api.jobCount();
        HttpTestClient.Response first = api.submit(request("idem", ""), "Idempotency-Key", "key-" + dataset);
        HttpTestClient.Response retry = api.submit(request("idem", ""), "Idempotency-Key", "key-" + dataset);
        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body().get("id").asString()).isEqualTo(first.body().get("id").asString());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        HttpTestClient.Response without = api.submit(request("idem", ""));
        assertThat(without.status()).isEqualTo(202);
        assertThat(without.body().get("id").asString()).isNotEqualTo(first.body().get("id").asString());
        assertThat(api.jobCount()).isEqualTo(before + 2);

        String inline = "{\"modelName\": \"idem-inline\", \"targets\": [\"y\"], \"task\": \"regression\", "
                + "\"data\": {\"columns\": [\"x\", \"y\"], \"rows\": [[1, 2], [2, 4], [3, 6]]}}";
        int datasets = api.datasetCount();
        JsonNode once = api.submit(inline, "Idempotency-Key", "inline-" + dataset).body();
        JsonNode twice = api.submit(inline, "Idempotency-Key", "inline-" + dataset).body();
        assertThat(twice.get("id").asString()).isEqualTo(once.get("id").asString());
        assertThat(api.datasetCount()).as("the retry's copy of the data is not kept").isEqualTo(datasets + 1);
        assertThat(api.submit(request("idem", ""), "Idempotency-Key", "k".repeat(201)).status()).isEqualTo(400);
    }

    @Test
    void anIdempotencyKeySentAgainWithAnotherRequestIsRefused() {
        String key = "reused-" + dataset;
        String first = api.submit(request("idem-a", ""), "Idempotency-Key", key).body().get("id").asString();
        int before = api.jobCount();
        HttpTestClient.Response other = api.submit(request("idem-b", ""), "Idempotency-Key", key);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/idempotency-key-reused");
        assertThat(other.body().get("detail").asString()).isEqualTo("Idempotency-Key: expected the request first "
                + "sent with '" + key + "' (job " + first + ") but found a different request; use a new key for a "
                + "new request");
        assertThat(api.jobCount()).as("nothing queued").isEqualTo(before);
    }

    @Test
    void everyInvalidRequestIsA400NamingTheFieldAndQueuesNothing() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(request("m", ", \"preset\": \"huge\""), "preset: expected one of [tabular, signal] but found huge");
        cases.put(request("m", "").replace("\"regression\"", "\"clustering\""),
                "task: expected regression or classification but found clustering");
        cases.put(request("m", "").replace(", \"task\": \"regression\"", ""),
                "task: expected regression or classification but found null");
        cases.put(request("m", "").replace("\"targets\": [\"y\"], ", ""),
                "targets: expected at least one target column but found null");
        cases.put(request("m", "").replace("[\"y\"]", "[]"), "targets: expected at least one target column but found []");
        cases.put(request("m", "").replace("[\"y\"]", "[\"y\", \"y\"]"), "targets: expected distinct columns but found [y, y]");
        cases.put(request("m", "").replace("\"x2\"", "\"x9\""), "features: expected columns of data set " + dataset
                + " [x1, x2, label, y] but found x9");
        cases.put(request("m", "").replace("\"x2\"", "\"label\""),
                "features: expected numeric columns but found 'label', a text column (row 2: 'pos')");
        cases.put(request("m", "").replace("\"x2\"", "\"y\""), "features: expected columns that are not targets but found y");
        cases.put(request("m", "").replace("[\"y\"]", "[\"label\"]"),
                "targets: expected numeric columns but found 'label', a text column (row 2: 'pos')");
        cases.put(request("m", "").replace("[\"y\"]", "[\"y\", \"label\"]").replace("regression", "classification"),
                "targets: expected one column for classification but found [y, label]");
        cases.put(request("m", layer("\"width\": 0")),
                "architecture.layers[0].width: expected an integer from 1 to 4096 but found 0");
        cases.put(request("m", layer("\"width\": 8, \"projection\": 65")),
                "architecture.layers[0].projection: expected an integer from 1 to 64 but found 65");
        cases.put(request("m", layer("\"width\": 8, \"omega\": 0")),
                "architecture.layers[0].omega: expected a number in (0, 1000] but found 0.0");
        cases.put(request("m", layer("\"width\": 8, \"hidden\": 0")),
                "architecture.layers[0].hidden: expected an integer from 1 to 256 but found 0");
        cases.put(request("m", layer("\"width\": 8, \"activation\": \"relu\"")),
                "architecture.layers[0].activation: expected sin or spder but found relu");
        cases.put(request("m", layer("\"type\": \"conv\", \"width\": 8")),
                "architecture.layers[0].type: expected lrnn or dense but found conv");
        cases.put(request("m", ", \"architecture\": {\"layers\": []}"),
                "architecture.layers: expected 1 to 16 layers but found 0");
        cases.put(request("m", training("\"epochs\": 0")), "training.epochs: expected an integer from 1 to 100000 but found 0");
        cases.put(request("m", training("\"batchSize\": 0")),
                "training.batchSize: expected an integer from 1 to 65536 but found 0");
        cases.put(request("m", training("\"validationSplit\": 0.95")),
                "training.validationSplit: expected a number from 0 to 0.9 but found 0.95");
        cases.put(request("m", training("\"schedule\": \"linear\"")),
                "training.schedule: expected constant, cosine or step but found linear");
        cases.put(request("m", training("\"learningRate\": 2")),
                "training.learningRate: expected a number in (0, 1] but found 2.0");
        cases.put(request("m", training("\"maxSteps\": -1")),
                "training.maxSteps: expected 0 (no cap) to 10000000 but found -1");
        cases.put(request("no spaces", ""), "modelName: expected 1 to 64 letters, digits, '.', '_' or '-' "
                + "(not starting with '.' or '-') but found 'no spaces'");
        cases.put(request("m", "").replace("\"modelName\": \"m\", ", ""), "modelName: expected 1 to 64 letters, "
                + "digits, '.', '_' or '-' (not starting with '.' or '-') but found 'null'");
        cases.put(request("m", ", \"data\": {\"columns\": [\"x\", \"y\"], \"rows\": [[1, 2]]}"),
                "datasetId: expected either datasetId or inline data (not both) but found both");
        cases.put(request("m", "").replace("\"datasetId\": \"" + dataset + "\", ", ""),
                "datasetId: expected either datasetId or inline data (not both) but found neither");
        cases.put("{\"modelName\": \"m\", \"targets\": [\"y\"], \"task\": \"regression\", \"training\": "
                        + "{\"validationSplit\": 0.5}, \"data\": {\"columns\": [\"x\", \"y\"], \"rows\": [[1, 2]]}}",
                "training.validationSplit: expected a split that leaves rows to train on but found 1 rows, 1 held out");
        cases.put("{\"modelName\": \"m\", \"targets\": [\"y\"], \"task\": \"regression\", "
                + "\"data\": {\"columns\": [\"x\", \"y\"], \"rows\": [[1, true]]}}",
                "rows[0][1]: expected a finite number or a string but found true");

        int jobs = api.jobCount();
        int datasets = api.datasetCount();
        cases.forEach((body, detail) -> {
            HttpTestClient.Response answer = api.submit(body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.header("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/invalid-request");
            assertThat(answer.body().get("detail").asString()).as(body).isEqualTo(detail);
        });
        HttpTestClient.Response huge = api.submit(request("m", layer("\"width\": 4096, \"projection\": 64")
                .replace("}]}", "}]}, \"training\": {\"batchSize\": 65536}")));
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.body().get("detail").asString()).startsWith(
                "architecture: expected a network and training.batchSize that fit in the memory of one job");

        HttpTestClient.Response unknown = api.submit(request("m", "").replace(dataset, "ds-nope"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("detail").asString()).isEqualTo("no data set with id ds-nope");
        HttpTestClient.Response malformed = api.submit("{\"modelName\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/malformed-request");
        assertThat(api.submit(request("m", training("\"epochs\": \"ten\""))).status()).isEqualTo(400);
        assertThat(api.jobCount()).isEqualTo(jobs);
        assertThat(api.datasetCount()).as("inline data of refused requests is not kept").isEqualTo(datasets);
    }

    /** Inline data of {@code rows} rows of (x, y, c): c holds one class only. */
    static String inline(int rows) {
        StringBuilder data = new StringBuilder("\"data\": {\"columns\": [\"x\", \"y\", \"c\"], \"rows\": [");
        for (int r = 0; r < rows; r++) {
            data.append(r == 0 ? "" : ", ").append('[').append(r).append(", ").append(r * 0.5).append(", \"one\"]");
        }
        return data.append("]}").toString();
    }

    @Test
    void stepsDurationAndClassesAreCheckedAtSubmit() {
        Map<String, String> cases = new LinkedHashMap<>();
        String twenty = "{\"modelName\": \"m\", " + inline(20) + ", \"features\": [\"x\"], \"targets\": [\"y\"], "
                + "\"task\": \"regression\"";
        cases.put(twenty + training("\"epochs\": 100000, \"batchSize\": 1, \"validationSplit\": 0") + "}",
                "training.epochs: expected at most 1000000 optimiser steps in all (lrnn.jobs.max-steps) but found "
                        + "2000000 (100000 epochs of 20 batches of at most 1 rows); use fewer epochs, a larger "
                        + "batchSize or training.maxSteps");
        cases.put(request("m", training("\"maxDuration\": \"PT2H\"")), "training.maxDuration: expected a duration "
                + "above 0 and at most PT1H (lrnn.jobs.max-duration) but found PT2H");
        cases.put(request("m", training("\"maxDuration\": 0")), "training.maxDuration: expected a duration above 0 "
                + "and at most PT1H (lrnn.jobs.max-duration) but found PT0S");
        cases.put(request("m", training("\"maxDuration\": \"soon\"")), "training.maxDuration: expected a duration "
                + "such as \"PT10M\", \"90s\" or a number of seconds but found 'soon'");
        cases.put("{\"modelName\": \"m\", " + inline(20) + ", \"features\": [\"x\"], \"targets\": [\"c\"], "
                + "\"task\": \"classification\"}", "targets: expected at least 2 classes in column 'c' but found 1");
        int jobs = api.jobCount();
        int datasets = api.datasetCount();
        cases.forEach((body, detail) -> {
            HttpTestClient.Response answer = api.submit(body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.body().get("detail").asString()).as(body).isEqualTo(detail);
        });
        assertThat(api.jobCount()).isEqualTo(jobs);
        assertThat(api.datasetCount()).isEqualTo(datasets);

        HttpTestClient.Response capped = api.submit(twenty + training("\"epochs\": 100000, \"batchSize\": 1, "
                + "\"validationSplit\": 0, \"maxSteps\": 1000000, \"maxDuration\": 90") + "}");
        assertThat(capped.status()).as(capped.raw()).isEqualTo(202);
        JsonNode stored = api.job(capped.body().get("id").asString()).get("request").get("training");
        assertThat(stored.get("maxDuration").asString()).isEqualTo("PT1M30S");
        HttpTestClient.Response iso = api.submit(request("iso", training("\"maxDuration\": \"10m\"")));
        assertThat(iso.status()).as(iso.raw()).isEqualTo(202);
        assertThat(api.job(iso.body().get("id").asString()).get("request").get("training").get("maxDuration")
                .asString()).isEqualTo("PT10M");
    }

    static String layer(String fields) {
        return ", \"architecture\": {\"layers\": [{" + (fields.contains("\"type\"") ? "" : "\"type\": \"lrnn\", ")
                + fields + "}]}";
    }

    static String training(String fields) {
        return ", \"training\": {" + fields + "}";
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndKeepsNothing() {
        for (int i = 0; i < 5; i++) {
            api.submitted(request("fill-" + i, ""));
        }
        int datasets = api.datasetCount();
        for (String body : List.of(request("one-too-many", ""), "{\"modelName\": \"inline\", \"targets\": [\"y\"], "
                + "\"task\": \"regression\", \"data\": {\"columns\": [\"x\", \"y\"], \"rows\": [[1, 2], [2, 3]]}}")) {
            HttpTestClient.Response full = api.submit(body);
            assertThat(full.status()).isEqualTo(503);
            assertThat(full.header("Retry-After")).hasValue("7");
            assertThat(full.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/queue-full");
            assertThat(full.body().get("detail").asString()).contains("lrnn.jobs.max-queued");
        }
        assertThat(api.datasetCount()).isEqualTo(datasets);
        api.cancelQueued();
        assertThat(api.submit(request("room-again", "")).status()).isEqualTo(202);
    }

    @Test
    void listFiltersByStateAndPages() {
        String a = api.submitted(request("list-a", ""));
        String b = api.submitted(request("list-b", ""));
        String c = api.submitted(request("list-c", ""));
        api.cancel(b);

        assertThat(ids(JOBS + "?state=QUEUED")).containsExactly(c, a);
        assertThat(ids(JOBS + "?state=cancelled")).startsWith(b).doesNotContain(a, c);
        assertThat(ids(JOBS + "?size=1")).containsExactly(c);
        assertThat(ids(JOBS + "?size=1&page=1")).containsExactly(b);
        assertThat(ids(JOBS + "?size=2&page=0")).containsExactly(c, b);
        assertThat(ids(JOBS + "?size=2&page=1")).startsWith(a);
        assertThat(ids(JOBS + "?state=QUEUED&page=1")).isEmpty();
        JsonNode queued = api.http.get(JOBS + "?state=QUEUED").body();
        assertThat(queued.get(0).get("queuePosition").asLong()).isEqualTo(2);
        assertThat(queued.get(0).has("history")).as("lists leave out the details").isFalse();

        HttpTestClient.Response bad = api.http.get(JOBS + "?state=WAITING");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("detail").asString())
                .isEqualTo("state: expected one of [QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED] but found WAITING");
        for (String paging : List.of("size=0", "size=201", "page=-1", "page=2000000000&size=200", "page=x")) {
            HttpTestClient.Response answer = api.http.get(JOBS + "?" + paging);
            assertThat(answer.status()).as(paging).isEqualTo(400);
        }
    }

    List<String> ids(String path) {
        HttpTestClient.Response answer = api.http.get(path);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.body().forEach(job -> ids.add(job.get("id").asString()));
        return ids;
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        String first = api.submitted(request("cancel-a", ""));
        String second = api.submitted(request("cancel-b", ""));
        HttpTestClient.Response cancelled = api.cancel(first);
        assertThat(cancelled.status()).isEqualTo(200);
        JsonNode job = cancelled.body();
        assertThat(job.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(job.get("cancelRequested").asBoolean()).isTrue();
        assertThat(job.has("finishedAt")).isTrue();
        assertThat(job.has("queuePosition")).isFalse();
        assertThat(api.job(second).get("queuePosition").asLong()).as("moved up").isEqualTo(1);
        assertThat(api.cancel(first).body().get("state").asString()).as("cancelling twice").isEqualTo("CANCELLED");
        assertThat(api.job(first).get("finishedAt").asString()).isEqualTo(job.get("finishedAt").asString());
    }

    @Test
    void unknownJobsAre404Problems() {
        for (HttpTestClient.Response answer : List.of(api.http.get(JOBS + "/job-nope"), api.cancel("job-nope"))) {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.header("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.body().get("detail").asString()).isEqualTo("no training job with id job-nope");
        }
    }
}

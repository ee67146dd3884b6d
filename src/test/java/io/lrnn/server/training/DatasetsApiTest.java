package io.lrnn.server.training;

import static io.lrnn.server.training.TrainingApi.DATASETS;
import static org.assertj.core.api.Assertions.assertThat;

import io.lrnn.server.HttpTestClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/datasets} over real HTTP on the embedded store. */
@QueueOnlyServer
class DatasetsApiTest {

    static final String CSV = "x1,x2,label\n0.5,-1,pos\n2,3.25,neg\n-4,0,pos\n";
    static final String JSON_ROWS = """
            {"columns": ["x1", "x2", "label"], "rows": [[0.5, -1, "pos"], [2, 3.25, "neg"], [-4, 0, "pos"]]}""";

    @LocalServerPort
    int port;

    TrainingApi api;

    @BeforeEach
    void client() {
        api = new TrainingApi(port);
    }

    @AfterEach
    void emptyQueue() {
        api.cancelQueued();
    }

    @Test
    void csvBodyMultipartAndJsonRowsMakeTheSameTable() {
        HttpTestClient.Response csv = api.uploadCsv("mixed", CSV);
        assertThat(csv.status()).as(csv.raw()).isEqualTo(201);
        JsonNode created = csv.body();
        String id = created.get("id").asString();
        assertThat(id).matches("ds-[0-9a-f-]{36}");
        assertThat(csv.header("Location")).hasValue("/api/v1/datasets/" + id);
        assertThat(created.get("name").asString()).isEqualTo("mixed");
        assertThat(created.get("rows").asInt()).isEqualTo(3);
        assertThat(created.get("columns").findValuesAsString("name")).containsExactly("x1", "x2", "label");
        assertThat(created.get("columns").findValues("numeric")).extracting(JsonNode::asBoolean)
                .containsExactly(true, true, false);
        assertThat(created.get("columns").get(2).get("firstText").asString()).isEqualTo("row 2: 'pos'");
        String digest = created.get("digest").asString();
        assertThat(digest).matches("sha256:[0-9a-f]{64}");

        HttpTestClient.Response file = api.uploadFile("", "mixed.csv", CSV.replace("\n", "\r\n"));
        assertThat(file.status()).as(file.raw()).isEqualTo(201);
        assertThat(file.body().get("name").asString()).as("defaults to the file name").isEqualTo("mixed.csv");
        assertThat(file.body().get("digest").asString()).isEqualTo(digest);

        HttpTestClient.Response json = api.http.postJson(DATASETS + "?name=rows", JSON_ROWS);
        assertThat(json.status()).as(json.raw()).isEqualTo(201);
        assertThat(json.body().get("digest").asString()).isEqualTo(digest);
        assertThat(json.body().get("rows").asInt()).isEqualTo(3);

        assertThat(api.http.get(DATASETS + "/" + id).body()).isEqualTo(created);
        List<String> listed = new ArrayList<>();
        api.http.get(DATASETS).body().forEach(d -> listed.add(d.get("id").asString()));
        assertThat(listed).as("newest first").containsSubsequence(json.body().get("id").asString(),
                file.body().get("id").asString(), id);
    }

    @Test
    void theOpenApiDocumentDescribesEveryUploadBody() {
        JsonNode content = api.http.get("/v3/api-docs").body().get("paths").get(DATASETS).get("post")
                .get("requestBody").get("content");
        assertThat(content.propertyNames()).contains("text/csv", "multipart/form-data", "application/json");
        assertThat(content.get("application/json").get("schema").get("type").asString()).isEqualTo("object");
    }

    @Test
    void deleteAnswers204AndThenTheDataSetIsGone() {
        String id = api.datasetId("doomed", CSV);
        assertThat(api.http.delete(DATASETS + "/" + id).status()).isEqualTo(204);
        HttpTestClient.Response gone = api.http.get(DATASETS + "/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.header("Content-Type")).hasValue("application/problem+json");
        assertThat(gone.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/not-found");
        assertThat(gone.body().get("detail").asString()).isEqualTo("no data set with id " + id);
        assertThat(api.http.delete(DATASETS + "/" + id).status()).isEqualTo(404);
        assertThat(api.http.get(DATASETS + "/ds-nope").body().get("detail").asString())
                .isEqualTo("no data set with id ds-nope");
    }

    @Test
    void aDataSetThatAQueuedJobNeedsCannotBeDeleted() {
        String id = api.datasetId("needed", CSV);
        String job = api.submitted("{\"modelName\": \"needs-data\", \"datasetId\": \"" + id
                + "\", \"features\": [\"x1\"], \"targets\": [\"x2\"], \"task\": \"regression\"}");
        HttpTestClient.Response refused = api.http.delete(DATASETS + "/" + id);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/conflict");
        assertThat(refused.body().get("detail").asString()).isEqualTo(
                "data set " + id + " is used by training job " + job + ", which is queued or running");
        assertThat(api.http.get(DATASETS + "/" + id).status()).isEqualTo(200);

        assertThat(api.cancel(job).body().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(api.http.delete(DATASETS + "/" + id).status()).as("no longer needed").isEqualTo(204);
    }

    @Test
    void badTablesAreProblemsNamingRowAndColumn() {
        HttpTestClient.Response empty = api.uploadCsv("bad", "x,y\n1,2\n3,\n");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/invalid-request");
        assertThat(empty.body().get("detail").asString())
                .isEqualTo("row 3, column 'y': expected a value but found an empty cell");
        assertThat(api.uploadCsv("bad", "x,y\n1\n").body().get("detail").asString())
                .isEqualTo("row 2: expected 2 cells but found 1 cells");
        assertThat(api.http.postJson(DATASETS, "{\"columns\": [\"x\"], \"rows\": [[true]]}").body()
                .get("detail").asString()).isEqualTo("rows[0][0]: expected a finite number or a string but found true");
        HttpTestClient.Response malformed = api.http.postJson(DATASETS, "{\"columns\": [");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("detail").asString()).startsWith("request body: expected well-formed JSON");
        HttpTestClient.Response noFile = api.http.send(api.http.request(DATASETS)
                .header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString("--b\r\nContent-Disposition: form-data; name=\"other\""
                        + "\r\n\r\nx\r\n--b--\r\n")));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.body().get("detail").asString()).contains("file");
        HttpTestClient.Response xml = api.http.send(api.http.request(DATASETS).header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<x/>")));
        assertThat(xml.status()).isEqualTo(415);
    }

    @Test
    void uploadsOverTheSizeLimitAre413AndStoreNothing() {
        int before = api.datasetCount();
        String big = TrainingApi.productsCsv(TrainingApi.products(12_000, 1));
        assertThat(big.length()).isGreaterThan(256 * 1024);
        for (HttpTestClient.Response answer : List.of(api.uploadCsv("big", big), api.uploadFile("", "big.csv", big),
                api.http.postJson(DATASETS, "{\"columns\": [\"x\"], \"rows\": [" + "[1],".repeat(70_000) + "[1]]}"))) {
            assertThat(answer.status()).as(answer.raw()).isEqualTo(413);
            assertThat(answer.body().get("type").asString()).isEqualTo("https://lrnn.io/problems/payload-too-large");
            assertThat(answer.body().get("detail").asString())
                    .isEqualTo("data set: expected at most 262144 bytes (lrnn.datasets.max-size) but found more");
        }
        assertThat(api.datasetCount()).isEqualTo(before);
    }
}

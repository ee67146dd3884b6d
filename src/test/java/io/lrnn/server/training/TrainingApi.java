package io.lrnn.server.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lrnn.server.HttpTestClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The data set and training-job calls of the HTTP tests, and seeded tables to train on. */
final class TrainingApi {

    static final String JOBS = "/api/v1/training-jobs";
    static final String DATASETS = "/api/v1/datasets";
    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    final HttpTestClient http;

    TrainingApi(int port) {
        this.http = new HttpTestClient(port);
    }

    /** Sending the header name/value pairs {@code headers} (an API key) on every call. */
    TrainingApi(int port, String... headers) {
        this.http = new HttpTestClient(port, headers);
    }

    HttpTestClient.Response uploadCsv(String name, String csv) {
        return http.send(http.request(DATASETS + "?name=" + name).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)));
    }

    /** A multipart/form-data POST of {@code content} as the part "file" with file name {@code fileName}. */
    HttpTestClient.Response uploadFile(String query, String fileName, String content) {
        String boundary = "lrnn-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return http.send(http.request(DATASETS + query)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** Uploads {@code csv} and returns the data set's id (fails unless 201). */
    String datasetId(String name, String csv) {
        HttpTestClient.Response created = uploadCsv(name, csv);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    HttpTestClient.Response submit(String json, String... headers) {
        return http.postJson(JOBS, json, headers);
    }

    /** Submits and returns the job id (fails unless 202). */
    String submitted(String json) {
        HttpTestClient.Response answer = submit(json);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(202);
        return answer.body().get("id").asString();
    }

    JsonNode job(String id) {
        HttpTestClient.Response answer = http.get(JOBS + "/" + id);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer.body();
    }

    HttpTestClient.Response cancel(String id) {
        return http.send(http.request(JOBS + "/" + id + "/cancel").POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Polls the job until its state is one of {@code states}, failing after {@code deadline}. */
    JsonNode awaitState(String id, Duration deadline, String... states) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        JsonNode job = job(id);
        while (!Set.of(states).contains(job.get("state").asString())) {
            if (System.nanoTime() > end) {
                fail("job " + id + " did not reach " + Set.of(states) + " within " + deadline + ": " + job);
            }
            if (FINAL.contains(job.get("state").asString())) {
                fail("job " + id + " ended as " + job.get("state").asString() + ": " + job);
            }
            Thread.sleep(50);
            job = job(id);
        }
        return job;
    }

    /** Cancels every queued job, so the next test starts with an empty queue. */
    void cancelQueued() {
        for (JsonNode job : http.get(JOBS + "?state=QUEUED&size=200").body()) {
            assertThat(cancel(job.get("id").asString()).status()).isEqualTo(200);
        }
    }

    int datasetCount() {
        return http.get(DATASETS).body().size();
    }

    int jobCount() {
        int count = 0;
        for (int page = 0; ; page++) {
            int size = http.get(JOBS + "?size=200&page=" + page).body().size();
            count += size;
            if (size < 200) {
                return count;
            }
        }
    }

    /** {@code rows} rows of x1, x2 uniform in [-1, 1] and y = x1 * x2 (seeded). */
    static double[][] products(int rows, long seed) {
        Random random = new Random(seed);
        double[][] table = new double[rows][3];
        for (double[] row : table) {
            row[0] = Math.round((random.nextDouble() * 2 - 1) * 1e4) / 1e4;
            row[1] = Math.round((random.nextDouble() * 2 - 1) * 1e4) / 1e4;
            row[2] = row[0] * row[1];
        }
        return table;
    }

    /** The product table as CSV with header x1,x2,y. */
    static String productsCsv(double[][] table) {
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        for (double[] row : table) {
            csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append('\n');
        }
        return csv.toString();
    }

    /** The product table with a label column instead of y: "pos" where x1 * x2 > 0, else "neg". */
    static String signsCsv(double[][] table) {
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (double[] row : table) {
            csv.append(row[0]).append(',').append(row[1]).append(',').append(label(row)).append('\n');
        }
        return csv.toString();
    }

    static String label(double[] row) {
        return row[2] > 0 ? "pos" : "neg";
    }

    /** The first {@code rows} rows as {@code {"instances": [[x1, x2], ...]}}. */
    static String instances(double[][] table, int rows) {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int b = 0; b < rows; b++) {
            body.append(b == 0 ? "" : ", ").append('[').append(table[b][0]).append(", ").append(table[b][1])
                    .append(']');
        }
        return body.append("]}").toString();
    }
}
